package mqttlink

import "errors"

// Sentinel errors of the link. Compare with errors.Is.
var (
	// ErrConfig reports an invalid link configuration.
	ErrConfig = errors.New("mqttlink: invalid config")
	// ErrNotConnected is returned by operations that need a live connection.
	ErrNotConnected = errors.New("mqttlink: not connected")
	// ErrDropped is returned by Publish when the message was not queued
	// (a QoS 0 message while offline, or a full queue that preferred others).
	ErrDropped = errors.New("mqttlink: message dropped")
	// ErrStopTimeout is returned by Run when the clean stop (flush, retained
	// offline state, disconnect) did not finish within the stop timeout.
	ErrStopTimeout = errors.New("mqttlink: stop timed out")
	// ErrRunning is returned when Run is called twice.
	ErrRunning = errors.New("mqttlink: already running")
)
