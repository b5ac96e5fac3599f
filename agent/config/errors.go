package config

import (
	"errors"

	"github.com/drover-iot/drover/fleet/jobspec"
)

// Sentinel errors of the package. Compare with errors.Is.
var (
	// ErrInvalid is wrapped by *Problems: the file has one or more problems.
	ErrInvalid = jobspec.ErrInvalid
	// ErrBadSize is returned by ParseSize for a malformed size.
	ErrBadSize = errors.New("config: bad size")
)

// Problem is one thing wrong with a configuration, with where it is.
type Problem = jobspec.Problem

// Problems is every problem found in one file. It unwraps to ErrInvalid.
type Problems = jobspec.Problems
