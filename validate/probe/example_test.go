package probe_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"

	"github.com/contractcheck/contractcheck/validate"
	"github.com/contractcheck/contractcheck/validate/contracttest"
	"github.com/contractcheck/contractcheck/validate/probe"
)

// Probe a server of the operation (here the fake of contracttest) with the
// cases written from the embedded contract, and judge each answer.
func Example() {
	plan, err := validate.Embedded()
	if err != nil {
		panic(err)
	}
	fake, err := contracttest.NewFake()
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	cases, err := probe.Cases(plan, "CreateConversationScopedWebhook", "")
	if err != nil {
		panic(err)
	}
	base, _ := url.Parse(srv.URL)
	client := probe.Client{Base: base}
	for _, c := range cases {
		out, err := client.Send(context.Background(), c)
		if err != nil {
			panic(err)
		}
		res := probe.Judge(plan, c, out.Exchange)
		fmt.Printf("%-42s %d %d findings\n", c.Name, out.Exchange.Response.Status, len(res.Findings))
	}
	// Output:
	// example.create                             201 0 findings
	// valid.webhook                              201 0 findings
	// valid.trigger                              201 0 findings
	// valid.studio                               201 0 findings
	// negative.missing.Target                    400 0 findings
	// negative.enum.Configuration.Method         400 0 findings
	// negative.enum.Target                       400 0 findings
	// negative.sid.Configuration.FlowSid         400 0 findings
	// negative.integer.Configuration.ReplayAfter 400 0 findings
	// negative.json-body                         400 0 findings
}
