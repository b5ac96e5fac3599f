// Package sensorbench compares the cost of Drover's system sensor with the
// parsing node_exporter does through github.com/prometheus/procfs, on the
// real /proc and /sys of the machine, and measures the CPU the Sampler
// uses for 20 simulated sensors at 10 Hz. It is a separate module so that
// procfs never becomes a dependency of the product.
package sensorbench
