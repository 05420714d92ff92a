/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmu.h - hardware event counters through libpfm4 and perf_event_open.
 *
 * The events come from config/events/<family>.conf (compiled into the
 * binary; --events-dir reads another copy): sections headed by the libpfm4
 * PMU names they serve, one event group per line (leader first).  The
 * section of the machine's core PMU is tried first, the generic perf::
 * section (perf.conf) last.  Each event is encoded with
 * pfm_get_os_event_encoding(PFM_OS_PERF_EVENT_EXT), opened per group
 * (user + kernel), and read with its enabled and running times: a
 * multiplexed count is scaled by enabled / running.
 */
#ifndef BENCH_PMU_H
#define BENCH_PMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define PMU_MAX_EVENTS	16
#define PMU_MAX_GROUPS	8

struct pmu_count {
	uint64_t raw, enabled, running;
};

struct pmu_event {
	char name[96];			/* as written in the config */
	char fstr[256];			/* fully qualified, as libpfm4 resolved it */
	int fd, group;
};

struct pmu_set {
	bool available;
	char reason[768];		/* why not, with what was tried */
	char pmu[64];			/* libpfm4 PMU whose section was used */
	char source[128];		/* config file and section */
	unsigned int nevents, ngroups;
	struct pmu_event ev[PMU_MAX_EVENTS];
	int leader[PMU_MAX_GROUPS];	/* fd of each group's leader */
	struct pmu_count start[PMU_MAX_EVENTS];	/* at the last enable */
};

/* One section of an events file. */
struct pmu_section {
	char pmus[512];			/* space-separated libpfm4 PMU names */
	unsigned int ngroups;
	char groups[PMU_MAX_GROUPS][512];	/* space-separated events */
};

#define PMU_MAX_SECTIONS 16
struct pmu_file {
	char arch[16];			/* "x86", "arm": the libpfm4 tables it needs */
	unsigned int nsections;
	struct pmu_section sec[PMU_MAX_SECTIONS];
};

/* Parse an events file's text; 0 or -1 with err (names the line). */
/* A whole text file, NUL-terminated, malloc()ed; NULL if it cannot be read. */
char *pmu_read_text(const char *path);
int pmu_file_parse(const char *text, struct pmu_file *f, char *err, size_t errlen);

/* The events files compiled in: name and text, NULL-terminated. */
struct pmu_builtin {
	const char *name, *text;
};
extern const struct pmu_builtin pmu_builtin_files[];

/*
 * Open the counters for this machine: events_dir NULL uses the built-in
 * files.  Never fails: set->available false with the reason.
 */
void pmu_open(struct pmu_set *set, const char *events_dir);
void pmu_close(struct pmu_set *set);
void pmu_enable(struct pmu_set *set);
void pmu_disable(const struct pmu_set *set);
/* Add each event's count since the last enable to acc[]. */
int pmu_read(const struct pmu_set *set, struct pmu_count acc[PMU_MAX_EVENTS]);

/*
 * raw * enabled / running: the estimate of a multiplexed count.  Returns
 * false (scaled 0) when the event never ran; running == enabled is exact.
 */
bool pmu_scale(const struct pmu_count *c, double *scaled);

/* The run's pmu block: {available, reason, pmu, source, events: [fstr...]} */
json_t *pmu_set_json(const struct pmu_set *set);
/* {<name>: {fstr, raw, enabled, running, scaled, per_access}}, or null. */
json_t *pmu_counts_json(const struct pmu_set *set, const struct pmu_count *acc,
			uint64_t accesses);

#endif
