package transfer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/transfer"
)

// BenchmarkFetch fetches artifacts of growing size from the in-memory
// broker: B/op must stay flat (streaming to disk, bounded window) while
// the size grows 16x.
func BenchmarkFetch(b *testing.B) {
	for _, size := range []int{1 << 20, 16 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			dir := b.TempDir()
			path := otatest.WriteFile(b, dir, "bin", otatest.RandomBytes(size, 1))
			_, key := otatest.Key(b)
			broker := otatest.NewBroker()
			m, err := transfer.Publish(context.Background(), broker, transfer.PublishOptions{
				Topics: topics, BinaryPath: path, Version: "1", Build: 1, Key: &key,
			})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				fetchOnce(b, broker, m.Blob, filepath.Join(dir, fmt.Sprint("staged", i)))
			}
		})
	}
}

func fetchOnce(b *testing.B, broker *otatest.Broker, blob manifest.Blob, staging string) {
	f := transfer.NewFetcher(broker, transfer.FetchOptions{Clock: clockwork.NewFakeClock()})
	if err := f.Fetch(context.Background(), topics, transfer.KindFull, blob, staging); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	_ = os.Remove(staging)
	_ = os.Remove(transfer.ProgressPath(staging))
	b.StartTimer()
}
