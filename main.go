package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/provider"
)

// version and commit are set by the linker at release time
// (-X main.version=… -X main.commit=…, see .goreleaser.yml).
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider's version and commit, then exit")
	flag.Parse()

	if showVersion {
		fmt.Printf("terraform-provider-awspowertuning %s (commit %s)\n", version, commit)
		return
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/awspowertuning/awspowertuning",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
