// Command sbom-generator is a BuildKit SBOM generator (moby/buildkit's
// docs/attestations/sbom-protocol.md). For every Go binary in the filesystems
// BuildKit hands it, it lists the Go modules compiled in, with their versions
// and checksums, from the build information the Go linker writes into each
// binary (it survives -s -w), as an SPDX 2.3 document.
package main

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"time"
)

type document struct {
	SPDXVersion       string         `json:"spdxVersion"`
	DataLicense       string         `json:"dataLicense"`
	SPDXID            string         `json:"SPDXID"`
	Name              string         `json:"name"`
	DocumentNamespace string         `json:"documentNamespace"`
	CreationInfo      creationInfo   `json:"creationInfo"`
	Packages          []pkg          `json:"packages"`
	Relationships     []relationship `json:"relationships"`
}

type creationInfo struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type pkg struct {
	Name             string        `json:"name"`
	SPDXID           string        `json:"SPDXID"`
	VersionInfo      string        `json:"versionInfo,omitempty"`
	DownloadLocation string        `json:"downloadLocation"`
	FilesAnalyzed    bool          `json:"filesAnalyzed"`
	SourceInfo       string        `json:"sourceInfo,omitempty"`
	Checksums        []checksum    `json:"checksums,omitempty"`
	ExternalRefs     []externalRef `json:"externalRefs,omitempty"`
}

type checksum struct {
	Algorithm     string `json:"algorithm"`
	ChecksumValue string `json:"checksumValue"`
}

type externalRef struct {
	ReferenceCategory string `json:"referenceCategory"`
	ReferenceType     string `json:"referenceType"`
	ReferenceLocator  string `json:"referenceLocator"`
}

type relationship struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

func main() {
	destination, source := os.Getenv("BUILDKIT_SCAN_DESTINATION"), os.Getenv("BUILDKIT_SCAN_SOURCE")
	if destination == "" || source == "" {
		fmt.Fprintln(os.Stderr, "sbom-generator: BUILDKIT_SCAN_SOURCE and BUILDKIT_SCAN_DESTINATION must be set; BuildKit runs this image with --sbom=generator=<image>")
		os.Exit(2)
	}
	targets := []string{source}
	if extras := os.Getenv("BUILDKIT_SCAN_SOURCE_EXTRAS"); extras != "" {
		if entries, err := os.ReadDir(extras); err == nil {
			for _, entry := range entries {
				targets = append(targets, filepath.Join(extras, entry.Name()))
			}
		}
	}
	for _, target := range targets {
		doc, err := scan(target)
		if err == nil {
			err = write(filepath.Join(destination, filepath.Base(target)+".spdx.json"), doc)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "sbom-generator: %s: %v\n", target, err)
			os.Exit(1)
		}
	}
}

// scan describes every Go binary under root: a package for each binary's main
// module, which depends on the standard library of its Go release and on each
// module it was built with (after replace directives).
func scan(root string) (document, error) {
	doc := document{
		SPDXVersion:  "SPDX-2.3",
		DataLicense:  "CC0-1.0",
		SPDXID:       "SPDXRef-DOCUMENT",
		Name:         filepath.Base(root),
		CreationInfo: creationInfo{Created: time.Now().UTC().Format(time.RFC3339), Creators: []string{"Tool: nx-go-docker-sbom-generator"}},
	}
	ids := map[string]string{} // purl -> SPDXID
	add := func(p pkg, purl string) string {
		if id, ok := ids[purl]; ok {
			return id
		}
		p.SPDXID = fmt.Sprintf("SPDXRef-Package-%d", len(ids)+1)
		p.DownloadLocation = "NOASSERTION"
		p.ExternalRefs = []externalRef{{"PACKAGE-MANAGER", "purl", purl}}
		ids[purl] = p.SPDXID
		doc.Packages = append(doc.Packages, p)
		return p.SPDXID
	}
	err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || !entry.Type().IsRegular() {
			return err
		}
		info, readErr := buildinfo.ReadFile(path)
		if readErr != nil {
			return nil // not a Go binary
		}
		inImage := "/" + filepath.ToSlash(mustRel(root, path))
		main := add(pkg{Name: info.Main.Path, VersionInfo: info.Main.Version, SourceInfo: "Go binary " + inImage}, purl(info.Main.Path, info.Main.Version))
		doc.Relationships = append(doc.Relationships, relationship{"SPDXRef-DOCUMENT", "DESCRIBES", main})
		stdlib := add(pkg{Name: "stdlib", VersionInfo: info.GoVersion}, purl("stdlib", info.GoVersion))
		doc.Relationships = append(doc.Relationships, relationship{main, "DEPENDS_ON", stdlib})
		for _, dep := range info.Deps {
			if dep.Replace != nil {
				dep = dep.Replace
			}
			dependency := add(pkg{Name: dep.Path, VersionInfo: dep.Version, Checksums: goSum(dep)}, purl(dep.Path, dep.Version))
			doc.Relationships = append(doc.Relationships, relationship{main, "DEPENDS_ON", dependency})
		}
		return nil
	})
	sum := sha256.New()
	for purl := range ids {
		sum.Write([]byte(purl + "\n"))
	}
	doc.DocumentNamespace = "https://nx-go-docker.invalid/spdx/" + doc.Name + "-" + hex.EncodeToString(sum.Sum(nil))[:16]
	sort.SliceStable(doc.Relationships, func(i, j int) bool { return doc.Relationships[i].Related < doc.Relationships[j].Related })
	return doc, err
}

// goSum is the module's go.sum hash ("h1:" + base64 SHA-256 of its file tree), as SPDX's SHA256 checksum in hex.
func goSum(module *debug.Module) []checksum {
	const prefix = "h1:"
	if len(module.Sum) <= len(prefix) || module.Sum[:len(prefix)] != prefix {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(module.Sum[len(prefix):])
	if err != nil || len(raw) != sha256.Size {
		return nil
	}
	return []checksum{{"SHA256", hex.EncodeToString(raw)}}
}

func purl(path, version string) string {
	if version == "" || version == "(devel)" {
		return "pkg:golang/" + path
	}
	return "pkg:golang/" + path + "@" + version
}

func mustRel(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return rel
}

// write stores the document as BuildKit reads a scan: an in-toto statement whose
// predicate is the SPDX document (BuildKit fills in the subject).
func write(path string, doc document) error {
	statement := struct {
		Type          string   `json:"_type"`
		PredicateType string   `json:"predicateType"`
		Predicate     document `json:"predicate"`
	}{"https://in-toto.io/Statement/v0.1", "https://spdx.dev/Document", doc}
	data, err := json.MarshalIndent(statement, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
