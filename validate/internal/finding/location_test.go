package finding

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLocationString: a location renders as the strings reports have always
// held, and parses back to itself.
func TestLocationString(t *testing.T) {
	for _, tc := range []struct {
		loc  Location
		want string
	}{
		{Location{}, ""},
		{Location{Part: PartRequest}, "request"},
		{Location{Part: PartRequestPath, Pointer: "/ConversationSid"}, "request.path#/ConversationSid"},
		{Location{Part: PartRequestQuery, Pointer: "/a~1b"}, "request.query#/a~1b"},
		{Location{Part: PartRequestHeader, Name: "Content-Type"}, "request.header/Content-Type"},
		{Location{Part: PartRequestBody}, "request.body"},
		{Location{Part: PartRequestBody, Pointer: "/Configuration.FlowSid"}, "request.body#/Configuration.FlowSid"},
		{Location{Part: PartRequestBody, Pointer: "/Configuration.Filters/1"}, "request.body#/Configuration.Filters/1"},
		{Location{Part: PartResponseStatus}, "response.status"},
		{Location{Part: PartResponseHeader, Name: "Access-Control-Allow-Origin"}, "response.header/Access-Control-Allow-Origin"},
		{Location{Part: PartResponseBody, Pointer: "/configuration/url"}, "response.body#/configuration/url"},
		{Location{Part: PartResponse}, "response"},
	} {
		assert.Equal(t, tc.want, tc.loc.String())
		text, err := tc.loc.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(text))
		back, err := ParseLocation(tc.want)
		require.NoError(t, err, tc.want)
		assert.Equal(t, tc.loc, back, tc.want)
	}
	for _, bad := range []string{"body", "request.bodyx", "request.header/", "request.body#x"} {
		_, err := ParseLocation(bad)
		assert.Error(t, err, bad)
	}
}

// TestFindingJSONKeepsLocationString: the JSON of a finding holds the
// location's string, as it did when locations were strings.
func TestFindingJSONKeepsLocationString(t *testing.T) {
	f := Finding{Rule: RuleSIDFormat, Severity: SeverityError, Location: Location{Part: PartRequestBody, Pointer: "/Configuration.FlowSid"}}
	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"location":"request.body#/Configuration.FlowSid"`)
	var back Finding
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, f, back)
}

// TestLocationOrder: reports list the request's path, query, headers and
// body, the request, then the response's status, headers and body, the
// response, and unknown places last; within a part, by the string form.
func TestLocationOrder(t *testing.T) {
	want := []Location{
		{Part: PartRequestPath, Pointer: "/ConversationSid"},
		{Part: PartRequestQuery, Pointer: "/a"},
		{Part: PartRequestHeader, Name: "Content-Type"},
		{Part: PartRequestBody},
		{Part: PartRequestBody, Pointer: "/Configuration.Filters"},
		{Part: PartRequestBody, Pointer: "/Configuration.Filters/0"},
		{Part: PartRequestBody, Pointer: "/Target"},
		{Part: PartRequest},
		{Part: PartResponseStatus},
		{Part: PartResponseHeader, Name: "A!"},
		{Part: PartResponseHeader, Name: "A", Pointer: "/0"},
		{Part: PartResponseHeader, Name: "Vary"},
		{Part: PartResponseBody, Pointer: "/account_sid"},
		{Part: PartResponse},
		{},
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortStableFunc(got, Location.Compare)
	assert.Equal(t, want, got)
	for i := 1; i < len(want); i++ {
		if want[i].Part == want[i-1].Part {
			assert.Less(t, want[i-1].String(), want[i].String(), "within a part, the string order")
		}
	}
}

// TestLocationField: the field a location names, as probe and the fake
// server use it.
func TestLocationField(t *testing.T) {
	assert.Equal(t, "Configuration.Filters", Location{Part: PartRequestBody, Pointer: "/Configuration.Filters/1"}.Field())
	assert.Equal(t, "a/b~c", Location{Part: PartRequestQuery, Pointer: "/a~1b~0c"}.Field())
	assert.Equal(t, "", Location{Part: PartRequestBody}.Field())
	assert.True(t, PartRequest.Request() && !PartRequest.Response())
	assert.True(t, PartResponseBody.Response() && !PartResponseBody.Request())
}
