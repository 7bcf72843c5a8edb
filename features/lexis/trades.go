package lexis

import "strings"

// Trade is a line of business a site's name can announce (a plumber, a
// T-shirt shop, a dental practice), with the words its own pages use:
// a site of the trade that publishes news of its field uses them.
type Trade struct {
	// Name is the trade's name, for evidence ("plumbing").
	Name string
	// Marks are the words in a host or site name that announce the trade,
	// lower case, in the corpora's languages.
	Marks []string
	// Field are the stems of the words the trade's own pages use: a story
	// holding two of them is on the site's field.
	Field []string
}

// trades are the lines of business that announce themselves in a host
// name. None is news: a newspaper's, a broadcaster's or a magazine's name
// is not a trade here, nor is a field that publishes (sport, finance,
// technology: title_site_mismatch handles finance names).
var trades = []Trade{
	{"plumbing", []string{"plumbing", "plumber", "plomberie", "klempner", "sanitaer", "fontaneria"}, []string{"plumb", "pipe", "drain", "leak", "water", "sewer", "heater", "boiler", "toilet", "faucet"}},
	{"roofing", []string{"roofing", "roofer", "dachdecker"}, []string{"roof", "shingle", "gutter", "storm", "leak"}},
	{"heating and cooling", []string{"hvac", "heating", "aircon", "furnace"}, []string{"heat", "cool", "furnace", "air", "thermostat", "energy"}},
	{"electrician", []string{"electrician", "electrical", "elektriker"}, []string{"electric", "wiring", "power", "outage", "grid"}},
	{"construction", []string{"construction", "contractor", "builders", "remodel", "renovation"}, []string{"build", "construct", "contractor", "renovat", "housing", "permit"}},
	{"landscaping", []string{"landscaping", "lawncare", "gardening", "treeservice"}, []string{"lawn", "garden", "tree", "plant", "yard"}},
	{"cleaning", []string{"cleaning", "cleaners", "janitorial", "carpetclean", "maidservice"}, []string{"clean", "carpet", "stain", "mold"}},
	{"pest control", []string{"pestcontrol", "exterminator", "termite"}, []string{"pest", "termite", "insect", "rodent", "bug"}},
	{"locksmith", []string{"locksmith"}, []string{"lock", "key", "burglar", "security"}},
	{"moving", []string{"movers", "removalists", "umzug"}, []string{"move", "moving", "truck", "storage"}},
	{"dental", []string{"dental", "dentist", "orthodont", "zahnarzt"}, []string{"dent", "teeth", "tooth", "oral", "gum"}},
	{"legal", []string{"lawfirm", "attorney", "attorneys", "lawyer", "lawyers", "injurylaw", "rechtsanwalt", "abogados", "avocats"}, []string{"law", "court", "lawsuit", "attorney", "lawyer", "legal", "judge", "injur", "sue"}},
	{"real estate", []string{"realty", "realtor", "realestate", "immobilien", "inmobiliaria", "immobilier"}, []string{"home", "house", "housing", "mortgage", "real", "estate", "rent", "buyer"}},
	{"clothing", []string{"tshirt", "tshirts", "teeshirt", "apparel", "clothing", "boutique", "fashionstore"}, []string{"shirt", "wear", "fashion", "cloth", "dress", "design", "style"}},
	{"jewellery", []string{"jewelry", "jewellery", "jewelers", "schmuck", "bijoux", "joyeria"}, []string{"jewel", "gold", "diamond", "ring", "silver"}},
	{"auto repair", []string{"autorepair", "autobody", "towing", "carwash", "mechanic"}, []string{"car", "vehicle", "auto", "tire", "repair", "crash", "driver"}},
	{"restaurant", []string{"pizzeria", "restaurant", "bakery", "catering", "steakhouse", "bistro"}, []string{"food", "restaurant", "chef", "menu", "dish", "cook", "eat", "pizza", "bak"}},
	{"beauty", []string{"hairsalon", "nailsalon", "barbershop", "nailspa", "dayspa"}, []string{"hair", "beauty", "nail", "skin", "salon", "spa"}},
	{"pets", []string{"petshop", "petsupply", "petgrooming", "kennel"}, []string{"pet", "dog", "cat", "animal", "vet"}},
	{"printing", []string{"printshop", "signage"}, []string{"print", "sign", "paper", "ink"}},
	{"travel agency", []string{"travelagency", "touroperator"}, []string{"travel", "trip", "tour", "flight", "hotel", "vacation", "holiday", "tourist"}},
	{"cricket", []string{"cricket", "ipl"}, []string{"cricket", "wicket", "bowler", "batsman", "ipl", "test", "innings"}},
}

// TradeOfHost returns the trade a host announces, and the mark it shows:
// a mark of six letters or more anywhere in a label
// ("pacificsunshineplumbing.com"), a shorter one as a label's whole
// word, its start or its end before digits ("ipl101.com", "abc-hvac.net").
// Subdomains named "www" and the public suffix are not read.
func TradeOfHost(host string) (Trade, string, bool) {
	labels := strings.Split(strings.ToLower(host), ".")
	if len(labels) > 1 {
		labels = labels[:len(labels)-1]
	}
	for _, label := range labels {
		if label == "www" || label == "" {
			continue
		}
		flat := strings.ReplaceAll(label, "-", "")
		words := strings.Split(label, "-")
		for _, t := range trades {
			for _, m := range t.Marks {
				if len(m) >= 6 && strings.Contains(flat, m) {
					return t, m, true
				}
				for _, w := range words {
					w = strings.TrimRight(w, "0123456789")
					if w == m || len(m) >= 4 && (strings.HasPrefix(w, m) || strings.HasSuffix(w, m)) {
						return t, m, true
					}
				}
			}
		}
	}
	return Trade{}, "", false
}

// OnField counts the words of vocab (lower-case content words and their
// counts) that stem from the trade's field.
func (t Trade) OnField(vocab map[string]int) int {
	n := 0
	for w, c := range vocab {
		for _, f := range t.Field {
			if strings.HasPrefix(w, f) {
				n += c
				break
			}
		}
	}
	return n
}

// Trades returns the trades TradeOfHost knows, in its order.
func Trades() []Trade { return append([]Trade(nil), trades...) }
