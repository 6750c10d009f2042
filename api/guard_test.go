package api

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMethodsAnswerProblems: an unknown method and a known path's wrong
// method get problem+json with the security headers, 405 with Allow.
func TestMethodsAnswerProblems(t *testing.T) {
	s := New(Config{})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"FOO", "/api/v1/search", 405},   // unknown to Fiber: was a bare text/plain 400
		{"FOO", "/nulle-part", 404},      // nor any route
		{"TRACE", "/api/v1/search", 405}, // was 404
		{"PATCH", "/api/v1/uo/x/capacitaire", 405},
		{"DELETE", "/api/v1/brouillons/abc", 405},
		{"DELETE", "/api/v1/anomalies", 405},
		{"GET", "/api/v1/nulle-part", 404},
	} {
		resp, err := s.App().Test(httptest.NewRequest(tc.method, tc.path, nil))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tc.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: got %d %q, want %d problem+json with the security headers", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.want)
		}
		if tc.want == 405 && resp.Header.Get("Allow") == "" {
			t.Errorf("%s %s: a 405 without Allow", tc.method, tc.path)
		}
	}
}

// TestHealthzOutsideTheReadLimit: a prober is never rate limited, readers
// are.
func TestHealthzOutsideTheReadLimit(t *testing.T) {
	s := New(Config{ReadRate: 1})
	limited := 0
	for range 10 {
		resp, _ := s.App().Test(httptest.NewRequest("GET", "/healthz", nil))
		if resp.StatusCode != 200 {
			t.Fatalf("/healthz: got %d, want 200", resp.StatusCode)
		}
		resp, _ = s.App().Test(httptest.NewRequest("GET", "/api/v1/besoins", nil))
		if resp.StatusCode == 429 {
			limited++
		}
	}
	if limited == 0 {
		t.Error("the read limit let 10 reads through at 1/s")
	}
}

// TestTrustedProxyNamesTheClient: behind a trusted proxy two clients have
// two buckets, and the entries a client forges before the proxy's do not
// make new ones; without the setting X-Forwarded-For changes nothing.
func TestTrustedProxyNamesTheClient(t *testing.T) {
	for _, tc := range []struct {
		trusted []string
		clients int  // real clients, as the proxy appends them
		limited bool // some of the 20 reads get 429 (burst 10 a client)
	}{
		{nil, 2, true},                    // off by default: one bucket, the socket's
		{[]string{"0.0.0.0/0"}, 2, false}, // the proxy is trusted: one bucket per client
		{[]string{"0.0.0.0/0"}, 1, true},  // one client forging the start of the header: still one bucket
	} {
		s := New(Config{ReadRate: 5, TrustedProxies: tc.trusted})
		limited := 0
		for i := range 20 {
			req := httptest.NewRequest("GET", "/api/v1/besoins", nil)
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d, 192.0.2.%d", i, 1+i%tc.clients))
			resp, _ := s.App().Test(req)
			if resp.StatusCode == 429 {
				limited++
			}
		}
		if (limited > 0) != tc.limited {
			t.Errorf("trusted %v, %d clients: %d answers 429, want some: %v", tc.trusted, tc.clients, limited, tc.limited)
		}
	}
}

// TestAnonymousReportsAreLimitedPerClient: past the hourly budget a client
// gets 429 before its body is read.
func TestAnonymousReportsAreLimitedPerClient(t *testing.T) {
	s := New(Config{ReportsPerHour: 2})
	s.SetServices(Services{})
	limited := 0
	for range 15 {
		resp, _ := s.App().Test(httptest.NewRequest("POST", "/api/v1/anomalies", strings.NewReader("pas du JSON")))
		if resp.StatusCode == 429 {
			limited++
		}
	}
	if limited < 4 {
		t.Errorf("%d of 15 reports refused with 429, want the ones past the burst of 10", limited)
	}
}

// TestAuthenticatedAnswersAreNotStored: Cache-Control no-store on an
// answer to a request with credentials.
func TestAuthenticatedAnswersAreNotStored(t *testing.T) {
	s := New(Config{})
	req := httptest.NewRequest("GET", "/api/v1/anomalies", nil)
	req.Header.Set("Authorization", "Bearer x")
	resp, _ := s.App().Test(req)
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("got Cache-Control %q, want no-store", resp.Header.Get("Cache-Control"))
	}
}
