package synth

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRecurringTopic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		paras []string
		topic string
		count int
	}{
		{"a name after an article", []string{"The Orlen Valley Dam will be drained next week.", "Residents near the Orlen Valley Dam were told to expect noise, officials said."}, "Orlen Valley Dam", 2},
		{"possessive and clause end", []string{"Crews on the Brasco Canal worked overnight.", "The Brasco Canal's locks reopened on Friday, and boats used the Brasco Canal again."}, "Brasco Canal", 3},
		{"a word that only opens sentences is no topic", []string{"Officials said the vote was close.", "Officials said they would meet again."}, "", 0},
		{"nothing recurs", []string{"The mayor of Tarrow spoke on Monday.", "A judge in Pellin ruled on Friday."}, "", 0},
		{"no capitals", []string{"市议会周一投票通过了新的预算。", "市议会将在下月再次开会。"}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			topic, n := recurringTopic(Story{Paragraphs: tt.paras})
			assert.Equal(t, tt.topic, topic)
			assert.Equal(t, tt.count, n)
		})
	}
}
