package control

import (
	"context"
	"errors"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/state"
)

// OTA is the agent's update component as the ota.* commands use it.
type OTA interface {
	// Apply updates the agent to artifact's retained manifest, calling
	// progress with the OTA record at each transition and downloaded
	// chunk. It returns the record once the new binary is swapped in and
	// the agent is about to restart, or the refusal.
	Apply(ctx context.Context, artifact string, progress func(state.Record)) (state.Record, error)
	// Status returns the current OTA record.
	Status() state.Record
	// Reason is the stable reason of an Apply error (ota.Reason).
	Reason(err error) string
}

// progressStep is the smallest download progress, in percent, worth a
// progress reply; every state change is always reported.
const progressStep = 5

// otaCodes maps refusal reasons to reply codes: authenticity and policy
// refusals are forbidden, a manifest that does not fit is a bad request,
// and what depends on the device's present state is a conflict.
var otaCodes = map[string]fleet.Code{
	"unknown_key": fleet.CodeForbidden, "bad_signature": fleet.CodeForbidden,
	"expired": fleet.CodeForbidden, "downgrade": fleet.CodeForbidden,
	"chunk_hash": fleet.CodeForbidden, "verify": fleet.CodeForbidden,
	"wrong_platform": fleet.CodeBadRequest, "malformed": fleet.CodeBadRequest,
	"too_large": fleet.CodeBadRequest,
	"busy":      fleet.CodeConflict, "no_space": fleet.CodeConflict, "selftest": fleet.CodeConflict,
	"no_manifest": fleet.CodeNotFound, "no_build": fleet.CodeNotFound,
}

// otaApply runs ota.apply: progress replies while it works, then the
// final record or the refusal with its reason.
func (d *Dispatcher) otaApply(ctx context.Context, req fleet.Request, args fleet.OTAApplyArgs) (fleet.OTAStatus, error) {
	if args.Artifact == "" {
		return fleet.OTAStatus{}, fleet.Errorf(fleet.CodeBadRequest, "%s needs args.artifact", req.Cmd)
	}
	rec, err := d.deps.OTA.Apply(ctx, args.Artifact, d.otaProgress(req))
	if err != nil {
		return fleet.OTAStatus{}, d.otaError(err)
	}
	return WireStatus(rec), nil
}

// otaStatus runs ota.status.
func (d *Dispatcher) otaStatus(context.Context, fleet.Request, none) (fleet.OTAStatus, error) {
	return WireStatus(d.deps.OTA.Status()), nil
}

// WireStatus is the OTA record as it goes on the wire: versioned, without
// the device's file paths.
func WireStatus(r state.Record) fleet.OTAStatus {
	w := fleet.OTAStatus{V: fleet.OTAStatusVersion, State: string(r.State), Reason: r.Reason, Since: r.Since,
		Artifact: r.Artifact, Version: r.Version, Build: r.Build, NewSHA256: r.NewSHA256,
		FromVersion: r.FromVersion, FromBuild: r.FromBuild, OldSHA256: r.OldSHA256,
		Platform: r.Platform, Delta: r.Delta, Boots: r.Boots, TrialUntil: r.TrialUntil}
	if p := r.Progress; p != nil {
		w.Progress = &fleet.OTAProgress{Done: p.Done, Total: p.Total, Bytes: p.Bytes, Size: p.Size}
	}
	return w
}

// otaProgress returns the progress callback of one ota.apply: it sends a
// progress reply on each state change and every progressStep percent.
func (d *Dispatcher) otaProgress(req fleet.Request) func(state.Record) {
	var last state.State
	lastPct := -progressStep
	return func(r state.Record) {
		pct := Percent(r)
		if r.State == last && (pct == lastPct || (pct < lastPct+progressStep && pct < 100)) {
			return
		}
		last, lastPct = r.State, pct
		d.publish(req, fleet.EncodeProgress(req.ID, WireStatus(r)))
	}
}

// Percent is the download progress of r in percent (0 without progress).
func Percent(r state.Record) int {
	if r.Progress == nil || r.Progress.Total == 0 {
		return 0
	}
	return r.Progress.Done * 100 / r.Progress.Total
}

// otaError turns an Apply error into the reply's error: "<reason>: <detail>"
// with the code its reason calls for.
func (d *Dispatcher) otaError(err error) error {
	var fe *fleet.Error
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) {
		return err
	}
	reason := d.deps.OTA.Reason(err)
	code, ok := otaCodes[reason]
	if !ok {
		return fleet.Errorf(fleet.CodeInternal, "%v", err)
	}
	return fleet.Errorf(code, "%s: %v", reason, err)
}
