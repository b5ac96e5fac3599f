package fleet

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultPrefix is the first topic level of every protocol topic.
const DefaultPrefix = "drover"

// Topic kinds: the level after the device id.
const (
	KindState     = "state"
	KindInfo      = "info"
	KindStatus    = "status"
	KindTelemetry = "telemetry"
	KindLog       = "log"
	KindCmd       = "cmd"
	KindReply     = "reply"
	KindMetrics   = "metrics"
	KindReported  = "reported"
)

// GroupsLevel is the topic level under the prefix where group documents
// are published: drover/groups/<name>.
const GroupsLevel = "groups"

// Topics builds and parses the topics of protocol v1 under a prefix.
// The zero value uses DefaultPrefix.
type Topics struct {
	// Prefix is the first level(s) of every topic. Default: "drover".
	Prefix string
}

// Root returns the prefix in use: Prefix, or DefaultPrefix when empty.
func (t Topics) Root() string { return t.prefix() }

func (t Topics) prefix() string {
	if t.Prefix == "" {
		return DefaultPrefix
	}
	return t.Prefix
}

func (t Topics) device(dev, kind string) string {
	return t.prefix() + "/" + dev + "/" + kind
}

// State is drover/<dev>/state (retained, plain text DeviceState).
func (t Topics) State(dev string) string { return t.device(dev, KindState) }

// Info is drover/<dev>/info (retained birth document, InfoDoc).
func (t Topics) Info(dev string) string { return t.device(dev, KindInfo) }

// Status is drover/<dev>/status (retained status snapshot).
func (t Topics) Status(dev string) string { return t.device(dev, KindStatus) }

// Telemetry is drover/<dev>/telemetry (Telemetry documents).
func (t Topics) Telemetry(dev string) string { return t.device(dev, KindTelemetry) }

// Metrics is drover/<dev>/metrics (the agent's Prometheus registry,
// gzip-compressed delimited protobuf; see MetricsContentType).
func (t Topics) Metrics(dev string) string { return t.device(dev, KindMetrics) }

// Log is drover/<dev>/log (one LogRecord per message).
func (t Topics) Log(dev string) string { return t.device(dev, KindLog) }

// Cmd is drover/<dev>/cmd, where the device receives requests.
func (t Topics) Cmd(dev string) string { return t.device(dev, KindCmd) }

// Reply is drover/<dev>/reply/<from>, or drover/<dev>/reply when from is
// empty or not a valid client id.
func (t Topics) Reply(dev, from string) string {
	if ValidClientID(from) != nil {
		return t.device(dev, KindReply)
	}
	return t.device(dev, KindReply) + "/" + from
}

// ReplyWildcard is drover/+/reply/<from>: every reply addressed to from.
func (t Topics) ReplyWildcard(from string) string {
	return t.prefix() + "/+/" + KindReply + "/" + from
}

// All is drover/+/<kind>: the given topic kind of every device.
func (t Topics) All(kind string) string { return t.prefix() + "/+/" + kind }

// Reported is drover/<dev>/reported (retained Reported: what the device
// applied of the groups).
func (t Topics) Reported(dev string) string { return t.device(dev, KindReported) }

// Group is drover/groups/<name> (retained signed group document).
func (t Topics) Group(name string) string { return t.prefix() + "/" + GroupsLevel + "/" + name }

// Groups is drover/groups/+: every group document.
func (t Topics) Groups() string { return t.Group("+") }

// GroupName returns the group named by a group topic, or false.
func (t Topics) GroupName(topic string) (string, bool) {
	name, ok := strings.CutPrefix(topic, t.prefix()+"/"+GroupsLevel+"/")
	return name, ok && name != "" && !strings.Contains(name, "/")
}

// OTAManifest is drover/ota/<artifact>/manifest (retained).
func (t Topics) OTAManifest(artifact string) string {
	return t.prefix() + "/" + ReservedDeviceID + "/" + artifact + "/manifest"
}

// OTAChunk is drover/ota/<artifact>/<n> (retained raw bytes of chunk n).
func (t Topics) OTAChunk(artifact string, n int) string {
	return t.prefix() + "/" + ReservedDeviceID + "/" + artifact + "/" + strconv.Itoa(n)
}

// Parsed is a device topic taken apart by Topics.Parse.
type Parsed struct {
	Device string
	Kind   string
	// From is the client id of a reply topic; empty for the bare reply topic.
	From string
}

// Parse takes a device topic (state, info, status, telemetry, metrics,
// log, cmd, reply, reported) apart. OTA topics and foreign topics give an error wrapping
// ErrBadTopic.
func (t Topics) Parse(topic string) (Parsed, error) {
	rest, ok := strings.CutPrefix(topic, t.prefix()+"/")
	if !ok {
		return Parsed{}, fmt.Errorf("%w: %q lacks prefix %q", ErrBadTopic, topic, t.prefix())
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || len(parts) > 3 || ValidDeviceID(parts[0]) != nil {
		return Parsed{}, fmt.Errorf("%w: %q", ErrBadTopic, topic)
	}
	p := Parsed{Device: parts[0], Kind: parts[1]}
	switch {
	case len(parts) == 3 && p.Kind == KindReply:
		p.From = parts[2]
	case len(parts) == 2 && isDeviceKind(p.Kind):
	default:
		return Parsed{}, fmt.Errorf("%w: %q", ErrBadTopic, topic)
	}
	return p, nil
}

func isDeviceKind(kind string) bool {
	switch kind {
	case KindState, KindInfo, KindStatus, KindTelemetry, KindLog, KindCmd, KindReply, KindMetrics, KindReported:
		return true
	}
	return false
}
