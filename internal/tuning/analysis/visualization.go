package analysis

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math"
	"strings"
)

// VisualizationURL builds base + "#" + three base64 strings joined by ";"
// (powers as little-endian int16, average durations and average costs as
// little-endian float32), sorted by power. currency "CNY" adds "?currency=CNY"
// before the fragment. Failed results are left out: they have no figures to
// draw.
func VisualizationURL(base string, results []PowerResult, currency string) string {
	var powers, durations, costs bytes.Buffer
	for _, r := range succeededByPower(results) {
		// binary.Write to a bytes.Buffer cannot fail for fixed-size values.
		_ = binary.Write(&powers, binary.LittleEndian, int16(r.Power))
		_ = binary.Write(&durations, binary.LittleEndian, math.Float32bits(float32(r.AverageDuration)))
		_ = binary.Write(&costs, binary.LittleEndian, math.Float32bits(float32(r.AverageCost)))
	}

	var sb strings.Builder
	sb.WriteString(base)
	if currency == CurrencyCNY {
		if strings.Contains(base, "?") {
			sb.WriteString("&currency=CNY")
		} else {
			sb.WriteString("?currency=CNY")
		}
	}
	sb.WriteString("#")
	enc := base64.StdEncoding
	sb.WriteString(enc.EncodeToString(powers.Bytes()))
	sb.WriteString(";")
	sb.WriteString(enc.EncodeToString(durations.Bytes()))
	sb.WriteString(";")
	sb.WriteString(enc.EncodeToString(costs.Bytes()))
	return sb.String()
}
