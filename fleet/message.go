package fleet

// Message is one MQTT message as a subscriber receives it.
type Message struct {
	Topic    string
	Payload  []byte
	Retained bool
}
