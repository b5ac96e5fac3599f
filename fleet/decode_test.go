package fleet

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var decodeNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func TestDecodeRequest(t *testing.T) {
	big := `{"v":1,"id":"r9","from":"ctl","cmd":"ping","args":{"pad":"` + strings.Repeat("x", 300) + `"}}`
	tests := []struct {
		name     string
		payload  string
		limit    int
		wantCode Code
		wantID   string
		wantFrom string
		wantCmd  string
	}{
		{"ok", `{"v":1,"id":"a1","cmd":"task.stop","args":{"name":"blink"},"from":"ctl"}`, 0, "", "a1", "ctl", "task.stop"},
		{"ok without args and from", `{"v":1,"id":"a2","cmd":"ping"}`, 0, "", "a2", "", "ping"},
		{"ok null args", `{"v":1,"id":"a2","cmd":"ping","args":null}`, 0, "", "a2", "", "ping"},
		{"ok future exp", `{"v":1,"id":"a3","cmd":"ping","exp":"2026-11-21T10:00:05Z"}`, 0, "", "a3", "", "ping"},
		{"malformed json", `{"v":1,"id":"a4",`, 0, CodeBadRequest, "", "", ""},
		{"not an object", `[1,2]`, 0, CodeBadRequest, "", "", ""},
		{"null", `null`, 0, CodeBadRequest, "", "", ""},
		{"missing cmd keeps id", `{"v":1,"id":"a5","from":"ctl"}`, 0, CodeBadRequest, "a5", "ctl", ""},
		{"empty cmd", `{"v":1,"id":"a5","cmd":""}`, 0, CodeBadRequest, "a5", "", ""},
		{"missing id", `{"v":1,"cmd":"ping","from":"ctl"}`, 0, CodeBadRequest, "", "ctl", "ping"},
		{"numeric id", `{"v":1,"id":7,"cmd":"ping"}`, 0, CodeBadRequest, "", "", "ping"},
		{"long id", `{"v":1,"id":"` + strings.Repeat("i", 129) + `","cmd":"ping"}`, 0, CodeBadRequest, strings.Repeat("i", 129), "", "ping"},
		{"wrong version keeps id", `{"v":2,"id":"a6","cmd":"ping","from":"ctl"}`, 0, CodeBadRequest, "a6", "ctl", "ping"},
		{"missing version", `{"id":"a7","cmd":"ping"}`, 0, CodeBadRequest, "a7", "", "ping"},
		{"string version", `{"v":"1","id":"a7","cmd":"ping"}`, 0, CodeBadRequest, "a7", "", "ping"},
		{"args not object", `{"v":1,"id":"a8","cmd":"ping","args":[1]}`, 0, CodeBadRequest, "a8", "", "ping"},
		{"from not string", `{"v":1,"id":"a8","cmd":"ping","from":3}`, 0, CodeBadRequest, "a8", "", "ping"},
		{"expired keeps id", `{"v":1,"id":"a9","cmd":"ping","from":"ctl","exp":"2026-11-21T09:59:59Z"}`, 0, CodeExpired, "a9", "ctl", "ping"},
		{"bad exp", `{"v":1,"id":"a9","cmd":"ping","exp":"tomorrow"}`, 0, CodeBadRequest, "a9", "", "ping"},
		{"numeric exp", `{"v":1,"id":"a9","cmd":"ping","exp":5}`, 0, CodeBadRequest, "a9", "", "ping"},
		{"too large keeps id", big, 256, CodeTooLarge, "r9", "ctl", ""},
		{"too large malformed", big[:len(big)-3], 256, CodeTooLarge, "", "", ""},
		{"under default limit", big, 0, "", "r9", "ctl", "ping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, e := DecodeRequest([]byte(tt.payload), tt.limit, decodeNow)
			if tt.wantCode == "" && e != nil {
				t.Fatalf("unexpected error %v", e)
			}
			if tt.wantCode != "" && (e == nil || e.Code != tt.wantCode) {
				t.Fatalf("error = %v, want code %s", e, tt.wantCode)
			}
			if req.ID != tt.wantID || req.From != tt.wantFrom || req.Cmd != tt.wantCmd {
				t.Fatalf("req = id %q from %q cmd %q, want %q %q %q",
					req.ID, req.From, req.Cmd, tt.wantID, tt.wantFrom, tt.wantCmd)
			}
		})
	}
}

func TestDecodeRequestArgs(t *testing.T) {
	req, e := DecodeRequest([]byte(`{"v":1,"id":"x","cmd":"task.stop","args":{"name":"blink"},"exp":"2026-11-21T10:00:01.5Z"}`), 0, decodeNow)
	if e != nil {
		t.Fatal(e)
	}
	var args TaskArgs
	if err := json.Unmarshal(req.Args, &args); err != nil || args.Name != "blink" {
		t.Fatalf("args = %+v, %v", args, err)
	}
	if req.Exp == nil || !req.Exp.Equal(decodeNow.Add(1500*time.Millisecond)) {
		t.Fatalf("exp = %v", req.Exp)
	}
}

func TestReplyRoundTrip(t *testing.T) {
	tests := []struct {
		name      string
		reply     Reply
		wantFinal bool
		wantCode  Code
	}{
		{"result", ResultReply("a", PingResult{Version: "v1"}), true, ""},
		{"error", ErrorReply("b", Errorf(CodeNotFound, "no task named %s", "blink")), true, CodeNotFound},
		{"plain error is internal", ErrorReply("c", ErrBadTopic), true, CodeInternal},
		{"unencodable result", ResultReply("d", func() {}), true, CodeInternal},
		{"progress", ProgressReply("e", map[string]int{"pct": 40}), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := json.Marshal(tt.reply)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeReply(raw)
			if err != nil {
				t.Fatalf("DecodeReply(%s): %v", raw, err)
			}
			if got.IsFinal() != tt.wantFinal {
				t.Fatalf("IsFinal = %v", got.IsFinal())
			}
			if code := codeOf(got.Err()); code != tt.wantCode {
				t.Fatalf("code = %q, want %q (%s)", code, tt.wantCode, raw)
			}
		})
	}
}

func codeOf(err error) Code {
	if err == nil {
		return ""
	}
	return AsError(err).Code
}

func TestDecodeReplyRejects(t *testing.T) {
	for _, payload := range []string{
		``, `{`, `[]`, `{"v":2,"id":"a","ok":true}`, `{"v":1,"ok":true}`, `{"v":1,"id":"a"}`,
		`{"v":1,"id":"a","ok":"yes"}`,
	} {
		if _, err := DecodeReply([]byte(payload)); err == nil {
			t.Errorf("DecodeReply(%q) accepted", payload)
		}
	}
}

func TestReplyDecodeResult(t *testing.T) {
	var res PingResult
	if err := ResultReply("a", PingResult{Version: "v9"}).Decode(&res); err != nil || res.Version != "v9" {
		t.Fatalf("Decode = %+v, %v", res, err)
	}
	err := ErrorReply("a", Errorf(CodeConflict, "busy")).Decode(&res)
	if !errorsIsCode(err, CodeConflict) {
		t.Fatalf("Decode error = %v, want conflict", err)
	}
}

func errorsIsCode(err error, code Code) bool {
	e := AsError(err)
	return e != nil && e.Code == code
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"id":"a1","cmd":"task.stop","args":{"name":"blink"},"from":"ctl"}`,
		`{"v":1,"id":"a","cmd":"ping","exp":"2026-11-21T09:59:59Z"}`,
		`{"v":2}`, `[]`, `null`, `{"id":{"a":1}}`, `{"v":1,"id":"x","cmd":"p","args":"s"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		req, e := DecodeRequest(payload, 512, decodeNow)
		if e == nil {
			if req.V != Version || req.ID == "" || req.Cmd == "" {
				t.Fatalf("accepted incomplete request %+v", req)
			}
			if req.Exp != nil && decodeNow.After(*req.Exp) {
				t.Fatalf("accepted expired request")
			}
			return
		}
		// The error reply must always be encodable.
		if _, err := json.Marshal(ErrorReply(req.ID, e)); err != nil {
			t.Fatalf("error reply not encodable: %v", err)
		}
	})
}

func FuzzDecodeReply(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"id":"a","ok":true,"result":{"x":1}}`,
		`{"v":1,"id":"a","ok":false,"error":{"code":"not_found","message":"m"}}`,
		`{"v":1,"id":"a","progress":{"pct":3}}`, `{"v":1,"id":"a","ok":false}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		r, err := DecodeReply(payload)
		if err != nil {
			return
		}
		if r.ID == "" || (!r.IsFinal() && r.Progress == nil) {
			t.Fatalf("accepted reply without id or content: %+v", r)
		}
		if r.OK != nil && !*r.OK && r.Err() == nil {
			t.Fatal("failed reply without error")
		}
		var v any
		_ = r.Decode(&v)
	})
}

func TestResultReplyKeepsHTMLCharacters(t *testing.T) {
	tests := []struct {
		name   string
		result any
		want   string
	}{
		{"string", "a<b>&c", `"a<b>&c"`},
		{"map", map[string]string{"url": "tcp://h:1883?a=1&b=<2>"}, `{"url":"tcp://h:1883?a=1&b=<2>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(ResultReply("x", tt.result).Result); got != tt.want {
				t.Errorf("Result = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestEncodeResultInOnePass(t *testing.T) {
	got := string(EncodeResult("h", map[string]string{"url": "tcp://h/?a=1&b=<2>"}))
	want := `{"v":1,"id":"h","ok":true,"result":{"url":"tcp://h/?a=1&b=<2>"}}`
	if got != want {
		t.Errorf("EncodeResult = %s, want %s", got, want)
	}
	if got := string(EncodeError("e", Errorf(CodeConflict, "a & b"))); got != `{"v":1,"id":"e","ok":false,"error":{"code":"conflict","message":"a & b"}}` {
		t.Errorf("EncodeError = %s", got)
	}
	r, err := DecodeReply(EncodeProgress("p", func() {}))
	if err != nil || r.IsFinal() || string(r.Progress) != "null" {
		t.Errorf("EncodeProgress of an unencodable value = %+v, %v; want a null progress report", r, err)
	}
}
