# The look of every figure of plot/plot (loaded after w, h, base are set;
# fmt="svg" or "png" on the command line).  SVG for papers, PNG for dashboards.
if (!exists("fmt")) fmt = "png"
if (fmt eq "svg") {
	set terminal svg size w, h noenhanced font "Sans,13" background rgb "white"
} else {
	set terminal pngcairo size w, h noenhanced font "Sans,11" background rgb "white"
}
set output base . "." . fmt
# The legend sits under the plot, never over the data.
set key outside below center horizontal nobox spacing 1.1 height 1
set border 3
set tics nomirror out
set grid ytics lc rgb "gray85" lw 1
