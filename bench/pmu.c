// SPDX-License-Identifier: GPL-2.0
/* pmu.c - hardware event counters through libpfm4 (see pmu.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmu.h"

/* ------------------------------------------------------------ the files */

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int pmu_file_parse(const char *text, struct pmu_file *f, char *err, size_t errlen)
{
	const char *line = text;
	struct pmu_section *sec = NULL;
	unsigned int lineno = 0;

	memset(f, 0, sizeof(*f));
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char buf[1024], *s;

		lineno++;
		if (n >= sizeof(buf)) {
			snprintf(err, errlen, "line %u: too long", lineno);
			return -1;
		}
		memcpy(buf, line, n);
		buf[n] = '\0';
		line = nl ? nl + 1 : NULL;
		if ((s = strchr(buf, '#')))
			*s = '\0';
		s = trim(buf);
		if (!*s)
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');

			if (!e || e == s + 1 || *trim(e + 1)) {
				snprintf(err, errlen, "line %u: a section header is [pmu ...]", lineno);
				return -1;
			}
			if (f->nsections == PMU_MAX_SECTIONS) {
				snprintf(err, errlen, "line %u: more than %d sections", lineno, PMU_MAX_SECTIONS);
				return -1;
			}
			*e = '\0';
			sec = &f->sec[f->nsections++];
			snprintf(sec->pmus, sizeof(sec->pmus), "%s", trim(s + 1));
			continue;
		}
		if (!sec) {
			char *eq = strchr(s, '=');

			if (!eq || strcmp(trim((*eq = '\0', s)), "arch")) {
				snprintf(err, errlen, "line %u: before the first [section] only \"arch = x86|arm|any\"",
					 lineno);
				return -1;
			}
			snprintf(f->arch, sizeof(f->arch), "%s", trim(eq + 1));
			if (strcmp(f->arch, "x86") && strcmp(f->arch, "arm") && strcmp(f->arch, "any")) {
				snprintf(err, errlen, "line %u: arch %s: x86, arm or any", lineno, f->arch);
				return -1;
			}
			continue;
		}
		if (sec->ngroups == PMU_MAX_GROUPS) {
			snprintf(err, errlen, "line %u: more than %d groups in a section", lineno,
				 PMU_MAX_GROUPS);
			return -1;
		}
		snprintf(sec->groups[sec->ngroups++], sizeof(sec->groups[0]), "%s", s);
	}
	if (!f->arch[0]) {
		snprintf(err, errlen, "no \"arch = ...\" line");
		return -1;
	}
	return 0;
}

/* Is name one of the space-separated words of list? */
static bool word_in(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t'))
			return true;
	return false;
}

char *pmu_read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *t;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	t = n < 0 ? NULL : calloc(1, n + 1);
	if (t && fread(t, 1, n, f) != (size_t)n)
		t[0] = '\0';
	fclose(f);
	return t;
}

/* Load the events files: the built-in ones, or every *.conf of dir. */
static int load_files(const char *dir, struct pmu_file **files, char (**names)[64], unsigned int *n,
		      char *err, size_t errlen)
{
	unsigned int cap = 16;

	*n = 0;
	*files = calloc(cap, sizeof(**files));
	*names = calloc(cap, sizeof(**names));
	if (!*files || !*names) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!dir) {
		for (const struct pmu_builtin *b = pmu_builtin_files; b->name && *n < cap; b++) {
			char e[256];

			if (pmu_file_parse(b->text, &(*files)[*n], e, sizeof(e))) {
				snprintf(err, errlen, "%s: %s", b->name, e);
				return -1;
			}
			snprintf((*names)[(*n)++], 64, "%s", b->name);
		}
		return 0;
	}
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) && *n < cap) {
		size_t l = strlen(de->d_name);
		char path[4096], e[256], *text;

		if (l < 6 || strcmp(de->d_name + l - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (access(path, R_OK))
			continue;
		text = pmu_read_text(path);
		if (!text || pmu_file_parse(text, &(*files)[*n], e, sizeof(e))) {
			snprintf(err, errlen, "%.200s/%.64s: %.200s", dir, de->d_name, text ? e : "out of memory");
			free(text);
			closedir(d);
			return -1;
		}
		free(text);
		snprintf((*names)[(*n)++], 64, "%s", de->d_name);
	}
	closedir(d);
	return 0;
}

/* ------------------------------------------------------------- counting */

bool pmu_scale(const struct pmu_count *c, double *scaled)
{
	if (!c->running) {
		*scaled = 0;
		return false;
	}
	if (c->running >= c->enabled)
		*scaled = (double)c->raw;
	else
		*scaled = (double)c->raw * ((double)c->enabled / (double)c->running);
	return true;
}

static void close_all(struct pmu_set *set)
{
	for (unsigned int i = 0; i < set->nevents; i++)
		if (set->ev[i].fd >= 0)
			close(set->ev[i].fd);
	set->nevents = set->ngroups = 0;
}

void pmu_close(struct pmu_set *set)
{
	close_all(set);
	set->available = false;
}

/* Encode and open one section's groups; 0, or -1 with why. */
static int open_section(struct pmu_set *set, const struct pmu_section *sec, const char *pmu,
			char *why, size_t len)
{
	for (unsigned int g = 0; g < sec->ngroups; g++) {
		char groupbuf[512], *save = NULL, *tok;
		int leader = -1;

		if (set->ngroups == PMU_MAX_GROUPS)
			break;
		snprintf(groupbuf, sizeof(groupbuf), "%s", sec->groups[g]);
		for (tok = strtok_r(groupbuf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
			struct perf_event_attr attr;
			pfm_perf_encode_arg_t arg;
			struct pmu_event *ev;
			char qualified[256], *fstr = NULL;
			int ret, fd;

			if (set->nevents == PMU_MAX_EVENTS) {
				snprintf(why, len, "more than %d events", PMU_MAX_EVENTS);
				return -1;
			}
			/* qualify with the PMU whose section this is */
			if (strstr(tok, "::"))
				snprintf(qualified, sizeof(qualified), "%s", tok);
			else
				snprintf(qualified, sizeof(qualified), "%s::%s", pmu, tok);
			memset(&attr, 0, sizeof(attr));
			memset(&arg, 0, sizeof(arg));
			arg.attr = &attr;
			arg.fstr = &fstr;
			arg.size = sizeof(arg);
			ret = pfm_get_os_event_encoding(qualified, PFM_PLM0 | PFM_PLM3,
							PFM_OS_PERF_EVENT_EXT, &arg);
			if (ret != PFM_SUCCESS) {
				snprintf(why, len, "pfm_get_os_event_encoding(%s): %s", qualified,
					 pfm_strerror(ret));
				return -1;
			}
			attr.size = sizeof(attr);
			attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
			attr.disabled = leader < 0;
			attr.exclude_hv = 1;
			fd = perf_event_open(&attr, 0, -1, leader, PERF_FLAG_FD_CLOEXEC);
			if (fd < 0) {
				int e = errno;

				snprintf(why, len, "perf_event_open(%s, this thread, user+kernel%s): %s (errno %d)%s",
					 fstr ? fstr : qualified, leader < 0 ? "" : ", in a group",
					 strerror(e), e,
					 e == ENOENT || e == EOPNOTSUPP || e == ENODEV ?
					 ": the kernel has no such hardware PMU event (no PMU, or a virtual CPU without one)" :
					 e == EACCES || e == EPERM ? ": see /proc/sys/kernel/perf_event_paranoid" : "");
				free(fstr);
				return -1;
			}
			ev = &set->ev[set->nevents++];
			snprintf(ev->name, sizeof(ev->name), "%s", tok);
			snprintf(ev->fstr, sizeof(ev->fstr), "%s", fstr ? fstr : qualified);
			free(fstr);
			ev->fd = fd;
			ev->group = set->ngroups;
			if (leader < 0)
				leader = fd;
		}
		if (leader >= 0)
			set->leader[set->ngroups++] = leader;
	}
	return 0;
}

/* The first present core PMU libpfm4 detected ("" when none). */
static void core_pmu(char *name, size_t len)
{
	pfm_pmu_t p;

	name[0] = '\0';
	pfm_for_all_pmus(p) {
		pfm_pmu_info_t info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(p, &info) != PFM_SUCCESS || !info.is_present ||
		    info.type != PFM_PMU_TYPE_CORE)
			continue;
		snprintf(name, len, "%s", info.name);
		return;
	}
}

static void appendf(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, fmt, a, b);
}

void pmu_open(struct pmu_set *set, const char *events_dir)
{
	struct pmu_file *files = NULL;
	char (*names)[64] = NULL, core[64], err[512];
	unsigned int nfiles = 0;
	int ret;

	memset(set, 0, sizeof(*set));
	ret = pfm_initialize();
	if (ret != PFM_SUCCESS) {
		snprintf(set->reason, sizeof(set->reason), "pfm_initialize: %s", pfm_strerror(ret));
		return;
	}
	if (load_files(events_dir, &files, &names, &nfiles, err, sizeof(err))) {
		snprintf(set->reason, sizeof(set->reason), "events files: %s", err);
		goto out;
	}
	core_pmu(core, sizeof(core));
	if (!core[0])
		snprintf(set->reason, sizeof(set->reason),
			 "libpfm4 detected no core PMU on this CPU; ");
	/* the core PMU's own section first, then the generic one */
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass ? "perf" : core;

		if (!want[0])
			continue;
		for (unsigned int f = 0; f < nfiles; f++)
			for (unsigned int s = 0; s < files[f].nsections; s++) {
				const struct pmu_section *sec = &files[f].sec[s];
				char why[512], tried[112];

				if (!word_in(sec->pmus, want))
					continue;
				snprintf(tried, sizeof(tried), "%.40s [%.64s]", names[f], want);
				if (!open_section(set, sec, want, why, sizeof(why))) {
					set->available = true;
					set->reason[0] = '\0';
					snprintf(set->pmu, sizeof(set->pmu), "%s", want);
					snprintf(set->source, sizeof(set->source), "config/events/%s", tried);
					goto out;
				}
				close_all(set);
				appendf(set->reason, sizeof(set->reason), "tried %s: %s; ", tried, why);
			}
		if (!pass && core[0] && !strstr(set->reason, core))
			appendf(set->reason, sizeof(set->reason),
				"no events file has a section for the core PMU %s%s; ", core, "");
	}
	if (!set->available) {
		size_t l = strlen(set->reason);

		if (l >= 2 && set->reason[l - 2] == ';')
			set->reason[l - 2] = '\0';
		if (!set->reason[0])
			snprintf(set->reason, sizeof(set->reason), "no events to try");
	}
out:
	free(files);
	free(names);
	if (!set->available)
		pfm_terminate();
}

static void read_one(const struct pmu_event *ev, struct pmu_count *c)
{
	uint64_t v[3] = { 0, 0, 0 };

	if (read(ev->fd, v, sizeof(v)) != sizeof(v))
		memset(v, 0, sizeof(v));
	c->raw = v[0];
	c->enabled = v[1];
	c->running = v[2];
}

/* Counts are cumulative: a window is the difference of two reads. */
void pmu_enable(struct pmu_set *set)
{
	if (!set->available)
		return;
	for (unsigned int i = 0; i < set->nevents; i++)
		read_one(&set->ev[i], &set->start[i]);
	for (unsigned int g = 0; g < set->ngroups; g++)
		ioctl(set->leader[g], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

void pmu_disable(const struct pmu_set *set)
{
	if (!set->available)
		return;
	for (unsigned int g = 0; g < set->ngroups; g++)
		ioctl(set->leader[g], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
}

int pmu_read(const struct pmu_set *set, struct pmu_count acc[PMU_MAX_EVENTS])
{
	if (!set->available)
		return -1;
	for (unsigned int i = 0; i < set->nevents; i++) {
		struct pmu_count now;

		read_one(&set->ev[i], &now);
		acc[i].raw += now.raw - set->start[i].raw;
		acc[i].enabled += now.enabled - set->start[i].enabled;
		acc[i].running += now.running - set->start[i].running;
	}
	return 0;
}

/* ------------------------------------------------------------------ JSON */

json_t *pmu_set_json(const struct pmu_set *set)
{
	json_t *ev = json_array(), *groups = json_array();

	for (unsigned int i = 0; i < set->nevents; i++) {
		json_array_append_new(ev, json_string(set->ev[i].fstr));
		json_array_append_new(groups, json_integer(set->ev[i].group));
	}
	return json_pack("{sb ss? ss? ss? so so ss}", "available", set->available,
			 "reason", set->available ? NULL : set->reason,
			 "pmu", set->available ? set->pmu : NULL,
			 "source", set->available ? set->source : NULL,
			 "events", ev, "groups", groups,
			 "method", "libpfm4 pfm_get_os_event_encoding(PFM_OS_PERF_EVENT_EXT, user+kernel), perf_event_open per group (leader first), read with TOTAL_TIME_ENABLED|RUNNING; scaled = raw * enabled / running");
}

json_t *pmu_counts_json(const struct pmu_set *set, const struct pmu_count *acc, uint64_t accesses)
{
	json_t *o;

	if (!set->available)
		return json_null();
	o = json_object();
	for (unsigned int i = 0; i < set->nevents; i++) {
		double scaled;
		bool ran = pmu_scale(&acc[i], &scaled);

		json_object_set_new(o, set->ev[i].name,
				    json_pack("{ss sI sI sI so so}", "fstr", set->ev[i].fstr,
					      "raw", (json_int_t)acc[i].raw,
					      "enabled", (json_int_t)acc[i].enabled,
					      "running", (json_int_t)acc[i].running,
					      "scaled", ran ? json_real(scaled) : json_null(),
					      "per_access", ran && accesses ?
						json_real(scaled / (double)accesses) : json_null()));
	}
	return o;
}
