package browser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromiumPath is where Debian's chromium package installs the browser;
// $CHROMIUM overrides it.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// requireChromium returns the browser's path. Without it the test fails in
// CI (CI=true), where .ci/run installs it, and is skipped elsewhere, saying
// how to install it.
func requireChromium(t *testing.T) string {
	t.Helper()
	p := chromiumPath()
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: .ci/run installs it (apt-get update && apt-get install -y chromium)", p)
	}
	t.Skipf("%s is missing: install it with apt-get install -y chromium (or set $CHROMIUM) to test the HTML report in a browser", p)
	return ""
}

// recordings are the shipped recordings the page shows: every rule of the
// catalogue broken, and entries that cannot be read.
var recordings = []string{
	filepath.Join("..", "testdata", "recordings", "violations.har"),
	filepath.Join("..", "testdata", "recordings", "traffic.har"),
	filepath.Join("..", "testdata", "recordings", "broken.har"),
}

// jsonReport is the part of the JSON report the test compares.
type jsonReport struct {
	Pairs []struct {
		Source   string         `json:"source"`
		Entry    int            `json:"entry"`
		Verdict  string         `json:"verdict"`
		Omitted  map[string]int `json:"omitted"`
		Findings []finding      `json:"findings"`
	} `json:"pairs"`
	Summary map[string]json.RawMessage `json:"summary"`
}

// count is a count of the JSON report's summary.
func (r jsonReport) count(t *testing.T, name string) int {
	t.Helper()
	var n int
	if raw, ok := r.Summary[name]; ok {
		require.NoError(t, json.Unmarshal(raw, &n), name)
	}
	return n
}

// finding is the part of a finding the test compares.
type finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
}

// report runs contractcheck check on the recordings, writing the JSON report
// and the HTML page; it returns both.
func report(t *testing.T) (jsonReport, string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "contractcheck")
	build := exec.Command("go", "build", "-o", bin, "./cmd/contractcheck")
	build.Dir = ".." // the main module
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building contractcheck: %s", out)
	page := filepath.Join(dir, "report.html")
	cmd := exec.Command(bin, append([]string{"check", "--format", "json", "--report", "html=" + page, "--coverage", filepath.Join(dir, "coverage.json")}, recordings...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee) && ee.ExitCode() == 2, "input errors exit 2: %v %s", err, stderr.String())
	var rep jsonReport
	require.NoError(t, json.Unmarshal(stdout, &rep))
	return rep, page
}

// TestHTMLReportInBrowser opens the HTML report in headless Chromium: the
// counts it shows are the JSON report's, the filter by rule and by severity
// hides and shows the right pairs, the page loads nothing, and it holds no
// secret of the recordings.
func TestHTMLReportInBrowser(t *testing.T) {
	exe := requireChromium(t)
	rep, page := report(t)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	defer cancelBrowser()

	u := url.URL{Scheme: "file", Path: page}
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(u.String()), chromedp.WaitReady(chromedp.ID("shown"))))
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`Object.fromEntries([...document.querySelectorAll("#summary td[data-count]")].map(e => [e.dataset.count, Number(e.textContent)]))`))
	require.NoError(t, err)
	resources, err := chromedp.Run(ctx, chromedp.Evaluate[int](`performance.getEntriesByType("resource").length`))
	require.NoError(t, err)

	t.Run("counts", func(t *testing.T) {
		for _, k := range []string{"pairs", "passed", "failed", "skipped", "input_errors", "errors", "warnings", "infos"} {
			assert.Equal(t, rep.count(t, k), counts[k], "summary count %s", k)
		}
		assert.Positive(t, counts["failed"])
		assert.Positive(t, counts["input_errors"])
		want := map[string]int{}
		for _, p := range rep.Pairs {
			for _, f := range p.Findings {
				want[f.Rule]++
			}
			for r, n := range p.Omitted {
				want[r] += n
			}
		}
		bars, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`Object.fromEntries([...document.querySelectorAll("#chart g.bar")].map(g => [g.dataset.rule, Number(g.querySelector("text:last-of-type").textContent)]))`))
		require.NoError(t, err)
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`Object.fromEntries([...document.querySelectorAll("#rules tr[data-rule]")].filter(r => r.dataset.rule !== "input-error").map(r => [r.dataset.rule, Number(r.querySelector("[data-count=findings]").textContent)]))`))
		require.NoError(t, err)
		assert.Equal(t, want, bars, "the chart's bars")
		assert.Equal(t, want, rows, "the table of findings by rule")
		assert.Zero(t, resources, "the page loads nothing")

		var cov struct {
			Percent float64 `json:"percent"`
			Covered int     `json:"covered"`
			Total   int     `json:"total"`
		}
		require.NoError(t, json.Unmarshal(rep.Summary["coverage"], &cov))
		headline, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("coverage-headline")))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(headline, fmt.Sprintf("%.1f%% (%d of %d items", cov.Percent, cov.Covered, cov.Total)), headline)
	})

	// visible lists the pairs shown, as "source#entry", and the counter.
	visible := func(t *testing.T, actions ...chromedp.Action[chromedp.Void]) ([]string, string) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, actions...))
		refs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("section.pair")].filter(s => s.checkVisibility()).map(s => s.dataset.ref)`))
		require.NoError(t, err)
		shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("shown")))
		require.NoError(t, err)
		slices.Sort(refs)
		return refs, shown
	}
	// wantPairs lists the failing pairs, and those that could not be read,
	// that have a finding for which keep is true.
	wantPairs := func(keep func(rule, severity string) bool) []string {
		var refs []string
		for _, p := range rep.Pairs {
			ref := p.Source
			if p.Entry >= 0 {
				ref += "#" + itoa(p.Entry)
			}
			switch {
			case p.Verdict == "input-error" && keep("input-error", "error"):
				refs = append(refs, ref)
			case p.Verdict == "fail":
				if slices.ContainsFunc(p.Findings, func(f finding) bool { return keep(f.Rule, f.Severity) }) {
					refs = append(refs, ref)
				}
			}
		}
		slices.Sort(refs)
		return refs
	}
	// selectRule chooses a rule in the filter, as a user's choice does: the
	// value changes, then the change event fires.
	selectRule := func(rule string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("filter-rule"); s.value = ` + quote(rule) + `; s.dispatchEvent(new Event("change")); })()`)
	}

	t.Run("filter", func(t *testing.T) {
		all := wantPairs(func(string, string) bool { return true })
		got, shown := visible(t)
		assert.Equal(t, all, got, "every failing pair at first")
		assert.Equal(t, itoa(len(all)), shown)

		for _, rule := range []string{"sid.format", "cors.credentials-wildcard", "input-error"} {
			want := wantPairs(func(r, _ string) bool { return r == rule })
			require.NotEmpty(t, want, rule)
			got, shown := visible(t, selectRule(rule))
			assert.Equal(t, want, got, "rule %s", rule)
			assert.Equal(t, itoa(len(want)), shown, "rule %s", rule)
			assert.Less(t, len(got), len(all), "rule %s hides pairs", rule)
		}
		// Unchecking error leaves the failing pairs that also have a
		// warning or an info.
		want := wantPairs(func(_, sev string) bool { return sev != "error" })
		got, _ = visible(t, selectRule(""), chromedp.Click(chromedp.CSS(`input.filter-severity[value="error"]`)))
		assert.Equal(t, want, got, "severity warning and info")
		assert.NotEmpty(t, want)
		got, _ = visible(t, chromedp.Click(chromedp.CSS(`input.filter-severity[value="error"]`)))
		assert.Equal(t, all, got, "error checked again")
	})

	t.Run("secrets", func(t *testing.T) {
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		require.NoError(t, err)
		secrets := recordedSecrets(t)
		require.NotEmpty(t, secrets)
		for _, s := range secrets {
			assert.NotContains(t, html, s, "a secret of the recordings")
		}
		assert.Contains(t, html, "[REDACTED]", "credentials are shown redacted")
	})
}

// basicCredential finds Basic credentials in the raw text of a recording.
var basicCredential = regexp.MustCompile(`Basic ([A-Za-z0-9+/]{16,}={0,2})`)

// recordedSecrets returns the credentials the recordings hold: each Basic
// credential as sent, decoded, and its password.
func recordedSecrets(t *testing.T) []string {
	t.Helper()
	var secrets []string
	for _, name := range recordings {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, m := range basicCredential.FindAllSubmatch(data, -1) {
			raw, err := base64.StdEncoding.DecodeString(string(m[1]))
			require.NoError(t, err)
			_, password, _ := strings.Cut(string(raw), ":")
			secrets = append(secrets, string(m[1]), string(raw), password)
		}
	}
	return secrets
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
