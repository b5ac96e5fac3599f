package control

import (
	"github.com/drover-iot/drover/fleet"
)

// WithKeys makes the dispatcher run only requests signed by one of the
// keyring's keys whose role includes the command's (see
// fleet.Keyring.Authorize), each at most once within its validity.
// Default: nil (requests need no signature).
func WithKeys(kr *fleet.Keyring) Option { return func(d *Dispatcher) { d.keys = kr } }

// withReplayBound bounds the signed request ids remembered (tests).
// Default: defaultReplayIDs.
func withReplayBound(n int) Option { return func(d *Dispatcher) { d.replay = newReplayGuard(n) } }

// admitSigned checks the signature and role of req and that its id was
// not admitted before. done reports that req must not run: then reply is
// what was published (sent false when nothing was: the first copy is
// still running and will reply).
func (d *Dispatcher) admitSigned(req fleet.Request) (reply []byte, sent, done bool) {
	now := d.clock.Now()
	if e := d.keys.Authorize(d.dev, req, now); e != nil {
		return d.refuse(req, e), true, true
	}
	switch d.replay.admit(req.ID, *req.Exp, now) {
	case admitFresh:
		return nil, false, false
	case admitUnknowable:
		return d.refuse(req, fleet.Errorf(fleet.CodeForbidden,
			"too many signed requests to remember; send a new request with a later exp")), true, true
	}
	cached, st := d.cache.Lookup(req.From, req.ID)
	switch st {
	case claimDone:
		d.log.Info("replayed signed request answered from the cache", "id", req.ID, "cmd", req.Cmd)
		return d.publish(req, cached), true, true
	case claimInFlight:
		return nil, false, true
	}
	return d.refuse(req, fleet.Errorf(fleet.CodeForbidden,
		"request id %s was already used; a signed request never runs twice", clip(req.ID))), true, true
}
