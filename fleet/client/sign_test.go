package client_test

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/fleettest"
)

type edSigner struct{ priv ed25519.PrivateKey }

func (edSigner) ID() string                      { return "00000000000000A1" }
func (s edSigner) SignEd25519(msg []byte) []byte { return ed25519.Sign(s.priv, msg) }

// TestSignedRequests: with a Signer, every request carries a signature
// the device can check, and an exp within the signed validity even when
// the caller's deadline is further away.
func TestSignedRequests(t *testing.T) {
	url := fleettest.StartBroker(t)
	dev := fleettest.NewDevice(t, url, "pi", nil, pingHandlers())
	pub, priv, _ := ed25519.GenerateKey(nil)
	kr, _ := fleet.NewKeyring(fleet.TrustedKey{ID: "00000000000000A1", Public: pub, Role: fleet.RoleViewer})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	dctx, dcancel := context.WithTimeout(ctx, testTimeout)
	defer dcancel()
	c, err := client.Dial(dctx, client.Options{Brokers: []string{url}, ClientID: "ctl", Signer: edSigner{priv}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Request(ctx, "pi", fleet.CmdPing, nil); err != nil {
		t.Fatal(err)
	}
	reqs := dev.Requests()
	if len(reqs) != 1 {
		t.Fatalf("device got %d requests", len(reqs))
	}
	if e := kr.Authorize("pi", reqs[0], time.Now()); e != nil {
		t.Fatalf("device refuses the signed request: %v", e)
	}
	if d := time.Until(*reqs[0].Exp); d > client.SignedValidity {
		t.Fatalf("exp %v ahead, want at most %v", d, client.SignedValidity)
	}
}
