package htmlreport

// The lines of a managed chart are told apart by colour and by the shape
// of their markers, so that they stay apart in grey print and for readers
// who do not see the colours.

// managedColours avoid the optimum's green and the failures' red.
var managedColours = []string{"#1f5fa8", "#a34a00", "#6a3d9a", "#00808a", "#8a6d00", "#555555"}

// markerShapes are SVG paths centred on the origin, about 10 units across.
var markerShapes = []string{
	"M-5 0a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z", // circle
	"M-4.5 -4.5h9v9h-9Z",                    // square
	"M0 -6L6 0L0 6L-6 0Z",                   // diamond
	"M0 -6L5.5 4.5H-5.5Z",                   // triangle
	"M0 6L5.5 -4.5H-5.5Z",                   // triangle, pointing down
}

func seriesColour(i int) string { return managedColours[i%len(managedColours)] }

// seriesShape changes shape with each line, and again once the colours
// come round, so that no two of the first thirty lines look alike.
func seriesShape(i int) string {
	return markerShapes[(i+i/len(managedColours))%len(markerShapes)]
}
