package drift_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/drift"
	"github.com/contractcheck/contractcheck/validate/report"
)

// hostile is a report whose values, from recordings and documents, try to
// forge lines and markup.
var hostile = drift.Report{
	Base: "old.yaml", Head: "new\x1b[31m.yaml",
	Counts: drift.Counts{Pairs: 1, PassToFail: 1},
	Pairs: []drift.Pair{{Ref: "r.har#0", Request: "POST /x\n::error::forged", Status: 201, Base: report.VerdictPass, Head: report.VerdictFail,
		Appeared: []validate.Finding{{Rule: "value.enum", Severity: validate.SeverityError, Location: validate.Location{Part: validate.PartRequestBody, Pointer: "/Target"}, Message: "bad <b>x</b>\nforged"}}}},
	Rules:  []drift.RuleChange{{Rule: "value.enum", Appeared: 1, Pairs: 1}},
	Static: []drift.StaticChange{{Where: "components.schemas.x", Property: "enum", Change: "removed", Base: "a|b<script>", Breaking: true}},
}

func TestWriteEscapes(t *testing.T) {
	var text, md, js bytes.Buffer
	require.NoError(t, drift.Write(&text, hostile, drift.FormatText))
	assert.NotContains(t, text.String(), "\x1b")
	assert.NotContains(t, text.String(), "\n::error")
	assert.Contains(t, text.String(), `POST /x\n::error::forged`)
	assert.Contains(t, text.String(), "  components.schemas.x: enum removed: a|b<script> (breaking)\n")

	require.NoError(t, drift.Write(&md, hostile, drift.FormatMarkdown))
	assert.NotContains(t, md.String(), "<b>")
	assert.NotContains(t, md.String(), "<script>")
	assert.Contains(t, md.String(), `a\|b&lt;script&gt;`)

	require.NoError(t, drift.Write(&js, hostile, drift.FormatJSON))
	var back drift.Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, hostile, back)

	require.Error(t, drift.Write(&js, hostile, "sarif"))
}
