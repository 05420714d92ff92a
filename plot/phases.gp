# Time of each phase of a repetition per strategy (variables set by plot/plot).
set terminal pngcairo size 1000,560 noenhanced font ",10"
set output outfile
set title "mmap, populate (touch every 4K page) and munmap, median over repetitions"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [1:*]
set ylabel "ns (log)"
set key outside right top
set grid ytics
nz(x) = x > 0 ? x : 1   # zero or missing: no bar above the axis
plot for [i=1:nseries] for [l=0:2] datafile \
	using (nz(column(2 + 3*(i-1) + l))):xtic(1) \
	title sprintf("%s %s", word("mmap populate munmap", l+1), word(labels, i))
