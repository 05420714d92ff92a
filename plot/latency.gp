# Per-fault latency per strategy: median over repetitions of each rep's p50
# and p99 (variables set by plot/plot).
set terminal pngcairo size 1000,560 noenhanced font ",10"
set output outfile
set title "Per-fault latency (median over repetitions)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [1:*]
set ylabel "ns (log)"
set key outside right top
set grid ytics
nz(x) = x > 0 ? x : 1   # zero or missing: no bar above the axis
plot for [i=1:nseries] for [l=0:1] datafile \
	using (nz(column(2 + 4*(i-1) + l))):xtic(1) \
	title sprintf("%s %s", word("p50 p99", l+1), word(labels, i))
