package source

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// The world vocabulary: every country and territory (ISO 3166-1), the
// continents and the large regions (UN M49), each placed within the region
// it lies in, from the embedded data file world.yaml. Every profile is
// given it under its own locations (Parse), so that a place no page of a
// source was seen naming ("… data centers in the United States and India")
// is still a known place, not a capitalised word:
//
//   - A profile's own location wins. A world place whose name the profile's
//     own locations read as one of theirs, whole ("Japan", "South Korea",
//     and for a region "Asia" read as Entra's "Asia/Pacific"), is that
//     location: a country's other forms ("Korea", "Turkey") are added under
//     the profile's name; a region adds nothing. One whose name they read
//     differently from its first word ("United States Virgin Islands" read
//     as "United States") is left out: the profile's reading stands.
//   - Where a world place lies is said in world names ("India" within
//     "Southern Asia" within "Asia"). A world place the profile was given
//     keeps those of its regions that are world places the profile was
//     given too, and a country the profile knows is the profile's. A
//     region the profile knows under its own name is its own only through
//     the profile's world_regions: a continent is no commitment's scope
//     (Switzerland lies in Europe, and in no EU Data Boundary), so nothing
//     the world says puts a place within a location of the profile unless
//     the profile says which of its locations that world region is.

//go:embed world.yaml
var worldData []byte

// worldPlace is one entry of world.yaml.
type worldPlace struct {
	Name   string   `yaml:"name"`
	Match  string   `yaml:"match"`
	Within []string `yaml:"within"`
	M49    string   `yaml:"m49"`
	ISO    string   `yaml:"iso"`
	Note   string   `yaml:"note"`
	// country is set for the countries and subdivisions: a place whose
	// name means one thing wherever it is read.
	country bool
}

// provenance is where the entry comes from, as a profile's terms say it.
func (w worldPlace) provenance() string {
	s := "UN M49 " + w.M49
	switch {
	case w.ISO != "":
		s = "ISO 3166-1 " + w.ISO + " / UN M49 (source/world.yaml)"
		if strings.Contains(w.ISO, "-") {
			s = "ISO 3166-2 " + w.ISO + " (source/world.yaml)"
		}
	case w.M49 == "":
		s = "source/world.yaml"
	default:
		s += " (source/world.yaml)"
	}
	if w.Note != "" {
		s += ": " + w.Note
	}
	return s
}

// worldVocab is world.yaml read, its places by name.
type worldVocab struct {
	places []worldPlace
	byName map[string]int
}

// theWorld reads world.yaml once.
var theWorld = sync.OnceValues(func() (*worldVocab, error) {
	var f struct {
		Regions      []worldPlace `yaml:"regions"`
		Countries    []worldPlace `yaml:"countries"`
		Subdivisions []worldPlace `yaml:"subdivisions"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(worldData)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("world.yaml: %w", err)
	}
	w := &worldVocab{byName: map[string]int{}}
	for i := range f.Countries {
		f.Countries[i].country = true
	}
	for i := range f.Subdivisions {
		f.Subdivisions[i].country = true
	}
	w.places = slices.Concat(f.Regions, f.Countries, f.Subdivisions)
	for i, p := range w.places {
		if p.Name == "" || p.Match == "" {
			return nil, fmt.Errorf("world.yaml: entry %d: name and match are required", i)
		}
		if _, dup := w.byName[p.Name]; dup {
			return nil, fmt.Errorf("world.yaml: %s is listed twice", p.Name)
		}
		w.byName[p.Name] = i
	}
	for _, p := range w.places {
		for _, r := range p.Within {
			if _, ok := w.byName[r]; !ok {
				return nil, fmt.Errorf("world.yaml: %s is within %q, which is not listed", p.Name, r)
			}
		}
	}
	return w, nil
})

// around lists the world places p lies within, nearest first, each once.
func (w *worldVocab) around(p worldPlace) []string {
	var out []string
	for next := p.Within; len(next) > 0; {
		var up []string
		for _, r := range next {
			if !slices.Contains(out, r) {
				out = append(out, r)
				up = append(up, w.places[w.byName[r]].Within...)
			}
		}
		next = up
	}
	return out
}

// WorldRegion says which of a profile's own locations a region of the
// world vocabulary is: every place the world puts within World lies
// within the profile's Region.
type WorldRegion struct {
	World      string `yaml:"world"`
	Region     string `yaml:"region"`
	Provenance string `yaml:"provenance"`
}

// mergeWorld adds the world vocabulary under the profile's own locations
// and within (see the package's world vocabulary above). It runs before
// the locations are compiled; their own entries keep their indexes.
func (p *Profile) mergeWorld() error {
	w, err := theWorld()
	if err != nil {
		return err
	}
	own := slices.Clone(p.Locations)
	ownNames := map[string]bool{}
	for _, l := range own {
		ownNames[l.Name] = true
	}
	for i, m := range p.WorldRegions {
		if _, ok := w.byName[m.World]; !ok {
			return fmt.Errorf("world_regions[%d]: %q is no region of the world vocabulary (source/world.yaml)", i, m.World)
		}
		if !ownNames[m.Region] || strings.TrimSpace(m.Provenance) == "" {
			return fmt.Errorf("world_regions[%d] %s: region must be one of the profile's locations, with a provenance", i, m.World)
		}
	}
	compileTerms("locations", own, "", &err)
	if err != nil {
		return err // the own entry's error, as compile reports it
	}
	ownAny, err := anyOf(own, "")
	if err != nil {
		return fmt.Errorf("locations: %w", err)
	}
	// as is the profile's name of each world place it reads as its own;
	// given the world places it is given under their own names.
	as := map[string]string{}
	given := map[string]bool{}
	var added []Term
	for _, wp := range w.places {
		ms := matchesOf(ownAny, wp.Name)
		switch {
		case len(ms) == 1 && ms[0][0] == 0 && ms[0][1] == len(wp.Name):
			name := own[ms[0][2]].Name
			as[wp.Name] = name
			if wp.country {
				added = append(added, Term{Name: name, Match: wp.Match,
					Provenance: wp.provenance() + "; the world's forms of " + wp.Name + ", under the profile's name"})
			}
		case len(ms) > 0 && ms[0][0] == 0:
			// read as another place from its first word: the profile's
			// reading stands.
		default:
			given[wp.Name] = true
			added = append(added, Term{Name: wp.Name, Match: wp.Match, Provenance: wp.provenance()})
		}
	}
	// At one start, a longer name is tried first ("Guinea-Bissau" before
	// "Guinea"); the profile's own entries stay first of all.
	slices.SortStableFunc(added, func(a, b Term) int { return len(b.Name) - len(a.Name) })
	p.Locations = append(own, added...)
	p.fromWorld = given

	// target is the profile's name of the world region r a place lies
	// within, or "".
	target := func(r string) string {
		switch {
		case given[r]:
			return r
		case as[r] != "" && w.places[w.byName[r]].country:
			return as[r]
		}
		return ""
	}
	have := map[[2]string]bool{}
	for _, x := range p.Within {
		have[[2]string{x.Place, x.Region}] = true
	}
	add := func(place, region, prov string) {
		k := [2]string{place, region}
		if place == region || have[k] {
			return
		}
		have[k] = true
		p.Within = append(p.Within, Within{Place: place, Region: region, Provenance: prov})
	}
	for _, wp := range w.places {
		place := wp.Name
		if !given[place] {
			if place = as[wp.Name]; place == "" || !wp.country {
				continue
			}
		}
		for _, r := range append([]string{wp.Name}, w.around(wp)...) {
			for _, m := range p.WorldRegions {
				if m.World == r {
					add(place, m.Region, wp.provenance()+"; "+r+" is "+m.Region+" here (world_regions: "+m.Provenance+")")
				}
			}
			if r != wp.Name {
				if t := target(r); t != "" {
					add(place, t, wp.provenance()+": within "+r)
				}
			}
		}
	}
	return nil
}

// WorldPlace reports whether name is a location the profile was given by
// the world vocabulary (source/world.yaml), not one of its own.
func (p *Profile) WorldPlace(name string) bool {
	return p.fromWorld[name]
}
