package sign

import "testing"

// TestFormatIDLikeMinisign: minisign prints key ids with "%016X", so an id
// with a leading zero nibble keeps it (a key id list must match the tool's).
func TestFormatIDLikeMinisign(t *testing.T) {
	tests := []struct {
		id   uint64
		want string
	}{
		{0x0402D59CDF8EE459, "0402D59CDF8EE459"},
		{0xC017FBF5BCFCC6D1, "C017FBF5BCFCC6D1"},
		{1, "0000000000000001"},
	}
	for _, tt := range tests {
		if got := FormatID(tt.id); got != tt.want {
			t.Errorf("FormatID(%#x) = %s, want %s", tt.id, got, tt.want)
		}
	}
}
