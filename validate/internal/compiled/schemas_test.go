package compiled

import (
	"testing"

	"github.com/contractcheck/contractcheck/validate/internal/contract"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendSchemaJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
		nullable       bool
	}{
		{"scalars", `[null, true, false, 1.5e3, -0, "x"]`, `[null, true, false, 1.5e3, -0, "x"]`, true},
		{"escapes", `{"a\"b\\c": "\u0000\u001f\n\r\t\b\f <&> \u2028 é 😀 /"}`, `{"a\"b\\c": "\u0000\u001f\n\r\t\b\f <&> \u2028 é 😀 /"}`, true},
		{"nullable type", `{"type": "string", "nullable": true}`, `{"type": ["string", "null"], "nullable": true}`, true},
		{"nullable enum", `{"type": "string", "nullable": true, "enum": ["a"]}`, `{"type": ["string", "null"], "nullable": true, "enum": ["a", null]}`, true},
		{"enum with null", `{"type": "string", "nullable": true, "enum": ["a", null]}`, `{"type": ["string", "null"], "nullable": true, "enum": ["a", null]}`, true},
		{"nested", `{"properties": {"p": {"type": "integer", "nullable": true}}, "items": [{"nullable": true}]}`,
			`{"properties": {"p": {"type": ["integer", "null"], "nullable": true}}, "items": [{"nullable": true}]}`, true},
		{"not nullable", `{"type": "string", "nullable": false, "enum": ["a"]}`, `{"type": "string", "nullable": false, "enum": ["a"]}`, true},
		{"3.1 keeps nullable as it is", `{"type": "string", "nullable": true}`, `{"type": "string", "nullable": true}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := contract.DecodeJSONTree([]byte(tt.in))
			require.NoError(t, err)
			want, err := contract.DecodeJSONTree([]byte(tt.want))
			require.NoError(t, err)
			out := appendSchemaJSON(nil, in, tt.nullable)
			got, err := contract.DecodeJSONTree(out)
			require.NoError(t, err, "%s", out)
			assert.Equal(t, want, got, "%s", out)
		})
	}
	// The enum of the input is not changed by the null added in the output.
	in, err := contract.DecodeJSONTree([]byte(`{"type": "string", "nullable": true, "enum": ["a"]}`))
	require.NoError(t, err)
	appendSchemaJSON(nil, in, true)
	assert.Equal(t, []any{"a"}, in.(map[string]any)["enum"])
}
