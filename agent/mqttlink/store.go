package mqttlink

import (
	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"
)

// nullStore is a paho Store that keeps nothing. The Link's own bounded
// queue is the only outbound store: a message leaves it only once its
// PUBACK arrived, and goes back to its front when the connection is lost
// first. (paho's memory stores resend from their own goroutine on
// reconnect, racing with publishes made in OnConnect, and are unbounded.)
type nullStore struct{}

var _ mqtt.Store = nullStore{}

func (nullStore) Open()                             {}
func (nullStore) Put(string, packets.ControlPacket) {}
func (nullStore) Get(string) packets.ControlPacket  { return nil }
func (nullStore) All() []string                     { return nil }
func (nullStore) Del(string)                        {}
func (nullStore) Close()                            {}
func (nullStore) Reset()                            {}
