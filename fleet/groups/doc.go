// Package groups is the fleet's declarative desired state: group documents
// that give every device whose labels match a selector the same jobs and
// service settings. fleetctl parses them from a YAML file (ParseFile) and
// publishes each, signed, retained on drover/groups/<name> (Encode); every
// agent decodes and verifies them (Decode, Envelope.Verify) and checks
// them with the same code (Group.Check) before applying. See docs/groups.md.
package groups
