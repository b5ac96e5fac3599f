package rollout

import "errors"

// Sentinel errors of the rollout package.
var (
	// ErrBadPlan means the plan is invalid (no devices, bad waves...).
	ErrBadPlan = errors.New("rollout: invalid plan")
	// ErrPaused is returned by Run when the rollout is paused (by the
	// failure threshold or by Pause).
	ErrPaused = errors.New("rollout: paused")
	// ErrAborted is returned by Run when the rollout was aborted.
	ErrAborted = errors.New("rollout: aborted")
	// ErrCorrupt means the rollout state file cannot be decoded.
	ErrCorrupt = errors.New("rollout: corrupt state file")
)
