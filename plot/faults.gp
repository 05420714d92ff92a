# Faults by page-table level per strategy (variables set by plot/plot).
set terminal pngcairo size 1000,560 noenhanced font ",10"
set output outfile
set title "First-touch faults by page-table level (one bar group per kernel)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [0.5:*]
set ylabel "faults per repetition (log)"
set key outside right top
set grid ytics
nz(x) = x > 0 ? x : 0.5   # zero or missing: no bar above the axis
plot for [i=1:nseries] for [l=0:2] datafile \
	using (nz(column(2 + 3*(i-1) + l))):xtic(1) \
	title sprintf("%s %s", word("pte pmd pud", l+1), word(labels, i))
