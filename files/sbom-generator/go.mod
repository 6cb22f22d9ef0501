module nx-go-docker/sbom-generator

go 1.22
