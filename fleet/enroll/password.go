package enroll

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
)

// Mosquitto's password hash ($7$): PBKDF2-SHA512, 101 iterations, a
// 12-byte salt and a 64-byte key, both base64, as mosquitto_passwd writes.
const (
	pwIterations = 101
	pwSaltLen    = 12
	pwKeyLen     = 64
)

// NewPassword returns a random password (26 base32 characters, 130 bits).
func NewPassword() string { return rand.Text() }

// PasswordLine returns the line of a Mosquitto password_file for user
// with password, hashed like mosquitto_passwd (2.x) does.
func PasswordLine(user, password string) (string, error) {
	salt := make([]byte, pwSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("enroll: salt: %w", err)
	}
	return passwordLine(user, password, salt)
}

func passwordLine(user, password string, salt []byte) (string, error) {
	key, err := pbkdf2.Key(sha512.New, password, salt, pwIterations, pwKeyLen)
	if err != nil {
		return "", fmt.Errorf("enroll: hash: %w", err)
	}
	enc := base64.StdEncoding
	return fmt.Sprintf("%s:$7$%d$%s$%s", user, pwIterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}
