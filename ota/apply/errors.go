package apply

import "errors"

// Sentinel errors of the apply package.
var (
	// ErrVerify means the candidate binary failed its size, sha256 or
	// signature check.
	ErrVerify = errors.New("apply: candidate verification failed")
	// ErrSelftest means the new binary's selftest failed.
	ErrSelftest = errors.New("apply: selftest failed")
	// ErrSwap means the binary could not be replaced or restored.
	ErrSwap = errors.New("apply: swap failed")
	// ErrExec means the re-exec of the agent binary failed.
	ErrExec = errors.New("apply: re-exec failed")
	// ErrRolledBack is returned by Trial.Run after it restored the old
	// binary (when the injected Exec returns instead of replacing the process).
	ErrRolledBack = errors.New("apply: rolled back")
)

// Reason returns the stable reason of an install error: "verify",
// "selftest" or "swap"; "" for others. The failed record's reason starts
// with it ("selftest: ...").
func Reason(err error) string {
	switch {
	case errors.Is(err, ErrVerify):
		return "verify"
	case errors.Is(err, ErrSelftest):
		return "selftest"
	case errors.Is(err, ErrSwap):
		return "swap"
	}
	return ""
}
