// Package sensors is Drover's sensor layer: the Sensor model, a registry of
// drivers configured from YAML, a Sampler that reads each sensor on its own
// schedule with per-read timeouts and exponential backoff, an Arbiter that
// lets sensors on one shared I2C or SPI bus take turns, and the naming rules
// for Prometheus gauges and Home Assistant MQTT discovery.
//
// The drivers live in sub-packages (system, bme280, gpiosensor, simulated,
// command); package builtin assembles them into a ready Registry.
//
// Units are SI base units, as Prometheus recommends: temperatures in
// celsius, pressure in pascals, relative humidity as a ratio from 0 to 1,
// sizes in bytes, durations in seconds. Dimensionless values (load average,
// GPIO level, edge counts) have an empty unit.
package sensors
