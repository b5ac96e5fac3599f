package enroll

import "errors"

// Sentinel errors of the enroll package.
var (
	// ErrBadCA means the CA directory holds files that are not a fleet CA.
	ErrBadCA = errors.New("enroll: not a fleet CA")
	// ErrBadName means a certificate cannot be made for the name given.
	ErrBadName = errors.New("enroll: bad name")
)
