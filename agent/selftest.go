package agent

import "context"

// ProbeBroker connects once to the configured broker with the agent's
// credentials and TLS settings, and disconnects (a throw-away clean
// session, see mqttlink.Probe). With no broker configured (the embedded
// broker) there is nothing to probe and it returns nil. It is the broker
// check of `agent selftest`.
func (a *Agent) ProbeBroker(ctx context.Context) error {
	if a.cfg.Broker.Embedded() {
		return nil
	}
	return a.link.Probe(ctx)
}
