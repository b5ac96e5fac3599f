package agent

import (
	"fmt"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/sign"
)

// controlKeys builds the keyring of control.keys, or nil when none are
// configured (then requests need no signature).
func controlKeys(keys []config.ControlKey) (*fleet.Keyring, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	trusted := make([]fleet.TrustedKey, 0, len(keys))
	for i, k := range keys {
		pk, err := sign.ParsePublicKey(k.Key)
		if err != nil {
			return nil, fmt.Errorf("%w: control.keys[%d]: %w", ErrConfig, i, err)
		}
		trusted = append(trusted, fleet.TrustedKey{ID: pk.ID(), Public: pk.Ed25519(), Role: fleet.Role(k.Role)})
	}
	kr, err := fleet.NewKeyring(trusted...)
	if err != nil {
		return nil, fmt.Errorf("%w: control.keys: %w", ErrConfig, err)
	}
	return kr, nil
}
