package fleet

import (
	"errors"
	"fmt"
)

// Code is a protocol error code: a stable string on the wire.
type Code string

// Error codes of protocol v1.
const (
	CodeBadRequest     Code = "bad_request"
	CodeUnknownCommand Code = "unknown_command"
	CodeNotFound       Code = "not_found"
	CodeConflict       Code = "conflict"
	CodeForbidden      Code = "forbidden"
	CodeExpired        Code = "expired"
	CodeTooLarge       Code = "too_large"
	CodeUnavailable    Code = "unavailable"
	CodeInternal       Code = "internal"
)

// Error is the error object of a failed reply. It implements error.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Error returns "code: message".
func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Is makes errors.Is match two *Error values with the same code.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code && t.Message == ""
}

// Errorf builds an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the *Error in err's chain, or an internal *Error carrying
// err's text. It returns nil for a nil err.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Message: err.Error()}
}
