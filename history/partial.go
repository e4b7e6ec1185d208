package history

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// A blob-less clone holds every commit and tree of the branch but no file
// contents: the docs repositories residiff watches are gigabytes of
// screenshots around a few hundred kilobytes of residency pages. The walk
// needs trees only; the page versions it reads are fetched afterwards in
// one request.
//
// go-git refuses to open a repository with extensions.partialClone, so the
// promisor state is residiff's own: a file in the clone.

// partialMarker is the file that says a clone was made without blobs.
const partialMarker = "residiff-partial"

// errNoFilter: the server cannot serve a blob-less clone.
var errNoFilter = errors.New("server does not offer partial clone")

// uploadSession opens an upload-pack session with the clone's remote and
// reads what it advertises.
func uploadSession(ctx context.Context, url string, auth transport.AuthMethod) (transport.UploadPackSession, *packp.AdvRefs, error) {
	ep, err := transport.NewEndpoint(url)
	if err != nil {
		return nil, nil, err
	}
	cl, err := client.NewClient(ep)
	if err != nil {
		return nil, nil, err
	}
	sess, err := cl.NewUploadPackSession(ep, auth)
	if err != nil {
		return nil, nil, err
	}
	adv, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil {
		_ = sess.Close()
		return nil, nil, err
	}
	return sess, adv, nil
}

// servesPartial reports whether a server can serve a blob-less clone and,
// later, single blobs by id: allow-tip-sha1-in-want alone refuses blobs
// that are not ref tips, so only allow-reachable-sha1-in-want will do.
func servesPartial(caps *capability.List) bool {
	return caps.Supports(capability.Filter) && caps.Supports(capability.AllowReachableSHA1InWant)
}

// clonePartial makes dir (an initialised bare repository opened as r) a
// blob-less clone of branch ("" for the remote's default) of url. It
// returns errNoFilter, leaving dir untouched, when the server cannot.
func clonePartial(ctx context.Context, r *Repo, dir, url, branch string, auth transport.AuthMethod, progress io.Writer) error {
	sess, adv, err := uploadSession(ctx, url, auth)
	if err != nil {
		return err
	}
	defer func() { _ = sess.Close() }()
	if !servesPartial(adv.Capabilities) {
		return errNoFilter
	}
	refs, err := adv.AllReferences()
	if err != nil {
		return err
	}
	if branch == "" {
		head, err := refs.Reference(plumbing.HEAD)
		if err != nil || head.Type() != plumbing.SymbolicReference {
			return errNoFilter // the default branch is not advertised: clone the usual way
		}
		branch = head.Target().Short()
	}
	ref, err := refs.Reference(plumbing.NewBranchReferenceName(branch))
	if err != nil {
		return fmt.Errorf("branch %q: %w", branch, err)
	}
	req := packp.NewUploadPackRequestFromCapabilities(adv.Capabilities)
	req.Wants = []plumbing.Hash{ref.Hash()}
	req.Filter = packp.FilterBlobNone()
	req.Capabilities.Delete(capability.ThinPack) // no haves: a whole pack, which residiff indexes itself
	if err := req.Capabilities.Set(capability.Filter); err != nil {
		return err
	}
	if progress == nil {
		_ = req.Capabilities.Set(capability.NoProgress)
	}
	if err := receivePack(ctx, sess, req, r.repo.Storer, r.packs.dir, progress); err != nil {
		return err
	}
	if err := r.recordPartial(dir, url, branch, ref.Hash()); err != nil {
		return &localError{err}
	}
	return nil
}

// recordPartial points the new clone's branch and HEAD at tip, records its
// origin and marks it blob-less.
func (r *Repo) recordPartial(dir, url, branch string, tip plumbing.Hash) error {
	st := r.repo.Storer
	name := plumbing.NewBranchReferenceName(branch)
	if err := st.SetReference(plumbing.NewHashReference(name, tip)); err != nil {
		return err
	}
	if err := st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, name)); err != nil {
		return err
	}
	cfg, err := r.repo.Config()
	if err != nil {
		return err
	}
	cfg.Remotes["origin"] = &config.RemoteConfig{Name: "origin", URLs: []string{url},
		Fetch: []config.RefSpec{config.RefSpec(fmt.Sprintf("+refs/heads/%s:refs/heads/%s", branch, branch))}}
	if err := st.SetConfig(cfg); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, partialMarker), []byte("filter blob:none\n"), 0o644)
}

// receivePack sends req and stores the pack the server answers with in
// packDir, indexed by residiff's own indexer (see storePack).
func receivePack(ctx context.Context, sess transport.UploadPackSession, req *packp.UploadPackRequest, st storer.Storer, packDir string, progress io.Writer) error {
	resp, err := sess.UploadPack(ctx, req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Close() }()
	return storePack(ctx, st, packDir, demux(req.Capabilities, resp, progress))
}

// demux strips the side band from a pack stream when the request asked for
// one, sending progress to p.
func demux(caps *capability.List, r io.Reader, p io.Writer) io.Reader {
	var t sideband.Type
	switch {
	case caps.Supports(capability.Sideband64k):
		t = sideband.Sideband64k
	case caps.Supports(capability.Sideband):
		t = sideband.Sideband
	default:
		return r
	}
	d := sideband.NewDemuxer(t, r)
	d.Progress = p
	return d
}

// fetchBlobs fetches the blobs a blob-less clone lacks, in one request to
// its origin.
func (r *Repo) fetchBlobs(ctx context.Context, blobs map[plumbing.Hash]bool) error {
	cfg, err := r.repo.Config()
	if err != nil {
		return err
	}
	origin, ok := cfg.Remotes["origin"]
	if !ok || len(origin.URLs) == 0 {
		return fmt.Errorf("fetch %d page versions: the clone has no origin remote", len(blobs))
	}
	var auth transport.AuthMethod
	if r.auth != nil {
		auth = r.auth
	}
	sess, adv, err := uploadSession(ctx, origin.URLs[0], auth)
	if err != nil {
		return remoteError("fetch page versions from", Redact(origin.URLs[0]), "", err)
	}
	defer func() { _ = sess.Close() }()
	req := packp.NewUploadPackRequestFromCapabilities(adv.Capabilities)
	for h := range blobs {
		req.Wants = append(req.Wants, h)
	}
	sort.Slice(req.Wants, func(i, j int) bool { return req.Wants[i].String() < req.Wants[j].String() })
	_ = req.Capabilities.Set(capability.NoProgress)
	req.Capabilities.Delete(capability.ThinPack) // a whole pack, which residiff indexes itself
	if err := receivePack(ctx, sess, req, r.repo.Storer, r.packs.dir, nil); err != nil {
		msg := err.Error()
		if strings.Contains(msg, "not our ref") {
			return fmt.Errorf("fetch %d page versions from %s: the server no longer serves objects by id (%s); delete the cache directory %s to clone again", len(blobs), Redact(origin.URLs[0]), scrub(msg), r.where)
		}
		return remoteError("fetch page versions from", Redact(origin.URLs[0]), "", err)
	}
	return nil
}

// isPartial reports whether the clone at dir was made without blobs.
func isPartial(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, partialMarker))
	return err == nil
}
