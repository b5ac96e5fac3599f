package acl

import "errors"

// ErrBadUser means a user name cannot appear in an ACL file.
var ErrBadUser = errors.New("acl: bad user name")
