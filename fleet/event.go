package fleet

import (
	"encoding/json"
	"fmt"
)

// Event is one message about a device seen by Watch: exactly one of State,
// Info, Status and Telemetry is set, per Kind, unless Cleared or Err is.
type Event struct {
	Device string
	// Kind is KindState, KindInfo, KindStatus, KindTelemetry or
	// KindReported; empty for the Synced marker.
	Kind      string
	State     DeviceState
	Info      *InfoDoc
	Status    *StatusResult
	Telemetry *Telemetry
	Reported  *Reported
	// Cleared is set when a retained state, info or status was removed
	// (an empty payload: the device was forgotten).
	Cleared bool
	// Err is set, wrapping ErrBadPayload, when the payload could not be read.
	Err error
	// Synced marks the end of the retained messages that were on the
	// broker when Watch subscribed; it comes once, with no Device.
	Synced bool
}

// DecodeEvent reads the payload of a device's state, info, status,
// telemetry or reported message. It never panics; a payload it cannot read gives an
// Event whose Err wraps ErrBadPayload.
func DecodeEvent(dev, kind string, payload []byte) Event {
	ev := Event{Device: dev, Kind: kind}
	if len(payload) == 0 && kind != KindTelemetry {
		ev.Cleared = true
		return ev
	}
	var err error
	switch kind {
	case KindState:
		ev.State, err = parseState(payload)
	case KindInfo:
		ev.Info = new(InfoDoc)
		err = json.Unmarshal(payload, ev.Info)
	case KindStatus:
		ev.Status = new(StatusResult)
		err = json.Unmarshal(payload, ev.Status)
	case KindTelemetry:
		ev.Telemetry = new(Telemetry)
		err = json.Unmarshal(payload, ev.Telemetry)
	case KindReported:
		ev.Reported = new(Reported)
		err = json.Unmarshal(payload, ev.Reported)
	}
	if err != nil {
		return Event{Device: dev, Kind: kind, Err: fmt.Errorf("%w: %s of %s: %w", ErrBadPayload, kind, dev, err)}
	}
	return ev
}

func parseState(payload []byte) (DeviceState, error) {
	switch s := DeviceState(payload); s {
	case StateOnline, StateOffline, StateLost, StateUpdating:
		return s, nil
	}
	return "", fmt.Errorf("unknown state %.32q", payload)
}
