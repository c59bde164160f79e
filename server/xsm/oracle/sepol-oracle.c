/*
 * sepol-oracle: an independent referee for Realmgate's FLASK engine.
 *
 * Loads a binary policy compiled by checkpolicy and answers queries with libsepol's own
 * security server (the code Xen's FLASK was forked from), one line in, one line out:
 *
 *   av <scon> <tcon> <class>      -> "ok <allowed> <auditallow> <auditdeny>" (hex, 8 digits)
 *   create <scon> <tcon> <class>  -> "ok <libsepol string> <plain string>" (sepol_transition_sid)
 *   valid <con>                   -> "ok <libsepol string> <plain string>" when libsepol accepts it
 *
 * "libsepol string" is context_to_string's output. "plain string" prints the same context
 * struct (names from the policydb, category bits tested one by one) with plain run rules:
 * libsepol 3.4's formatter mis-prints some category sets (a run ending on a 64-bit node
 * boundary continues into the next present node), so both are reported and compared.
 *   perms <class>                 -> "ok <name>:<bit> ..." (the class's permission bits)
 *
 * Any failure prints "err <code>". Output is flushed per batch terminator "sync" (which
 * prints "synced") so a driver can pipeline thousands of queries per round trip.
 *
 * Built and linked statically against libsepol.a by oracle/oracle.ts; never used at run time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/debug.h>
#include <sepol/policydb/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/policydb/sidtab.h>
#include <sepol/policydb/ebitmap.h>

/* Not declared in 3.4's public headers, but exported by libsepol.a. */
extern int sepol_set_policydb_from_file(FILE *fp);

/* A fresh SID table per query: libsepol's context->sid lookup is a linear scan, and a
 * long random run would otherwise make the oracle quadratic. */
static sidtab_t table;
static policydb_t pdb;

static void reset_sidtab(void)
{
	sepol_sidtab_destroy(&table);
	sepol_sidtab_init(&table);
	sepol_set_sidtab(&table);
}

static int to_sid(const char *con, sepol_security_id_t *sid)
{
	return sepol_context_to_sid(con, strlen(con) + 1, sid);
}

static int to_class(const char *name, sepol_security_class_t *cls)
{
	return sepol_string_to_security_class(name, cls);
}

static void print_level(const mls_level_t *l)
{
	unsigned int i, n = pdb.p_cats.nprim, start;
	int first = 1;
	fputs(pdb.p_sens_val_to_name[l->sens - 1], stdout);
	for (i = 0; i < n; i++) {
		if (!ebitmap_get_bit(&l->cat, i)) continue;
		start = i;
		while (i + 1 < n && ebitmap_get_bit(&l->cat, i + 1)) i++;
		putchar(first ? ':' : ',');
		first = 0;
		if (i - start >= 2)
			printf("%s.%s", pdb.p_cat_val_to_name[start], pdb.p_cat_val_to_name[i]);
		else if (i > start)
			printf("%s,%s", pdb.p_cat_val_to_name[start], pdb.p_cat_val_to_name[i]);
		else
			fputs(pdb.p_cat_val_to_name[start], stdout);
	}
}

/* "ok <libsepol string> <plain string>" for a SID. */
static void print_sid(sepol_security_id_t sid)
{
	sepol_security_context_t out = NULL;
	size_t len = 0;
	context_struct_t *c = sepol_sidtab_search(&table, sid);
	if (!c || sepol_sid_to_context(sid, &out, &len) < 0) { puts("err string"); return; }
	printf("ok %s %s:%s:%s", out, pdb.p_user_val_to_name[c->user - 1],
	       pdb.p_role_val_to_name[c->role - 1], pdb.p_type_val_to_name[c->type - 1]);
	/* A policy without MLS (Xen's default build) has no level to print. */
	if (pdb.mls) {
		putchar(':');
		print_level(&c->range.level[0]);
		if (!mls_level_eq(&c->range.level[0], &c->range.level[1])) {
			putchar('-');
			print_level(&c->range.level[1]);
		}
	}
	putchar('\n');
	free(out);
}

static void answer_av(char *scon, char *tcon, char *cname)
{
	sepol_security_id_t s, t;
	sepol_security_class_t c;
	struct sepol_av_decision avd;
	if (to_sid(scon, &s) < 0 || to_sid(tcon, &t) < 0) { puts("err context"); return; }
	if (to_class(cname, &c) < 0) { puts("err class"); return; }
	if (sepol_compute_av(s, t, c, 0xffffffffu, &avd) < 0) { puts("err av"); return; }
	printf("ok %08x %08x %08x\n", avd.allowed, avd.auditallow, avd.auditdeny);
}

static void answer_create(char *scon, char *tcon, char *cname)
{
	sepol_security_id_t s, t, n;
	sepol_security_class_t c;
	int rc;
	if (to_sid(scon, &s) < 0 || to_sid(tcon, &t) < 0) { puts("err context"); return; }
	if (to_class(cname, &c) < 0) { puts("err class"); return; }
	rc = sepol_transition_sid(s, t, c, &n);
	if (rc < 0) { printf("err %d\n", rc); return; }
	print_sid(n);
}

static void answer_valid(char *con)
{
	sepol_security_id_t s;
	if (to_sid(con, &s) < 0) { puts("err invalid"); return; }
	print_sid(s);
}

static void answer_perms(char *cname)
{
	sepol_security_class_t c;
	unsigned int bit;
	if (to_class(cname, &c) < 0) { puts("err class"); return; }
	fputs("ok", stdout);
	for (bit = 0; bit < 32; bit++) {
		const char *name = sepol_av_perm_to_string(c, 1u << bit);
		if (name && *name) printf(" %s:%u", name, bit);
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	FILE *fp;
	char line[8192];
	if (argc != 2) { fprintf(stderr, "usage: sepol-oracle policy.bin\n"); return 2; }
	sepol_debug(0);
	fp = fopen(argv[1], "r");
	if (!fp) { perror(argv[1]); return 2; }
	{
		struct policy_file pf;
		policy_file_init(&pf);
		pf.type = PF_USE_STDIO;
		pf.fp = fp;
		if (policydb_init(&pdb) < 0 || policydb_read(&pdb, &pf, 0) < 0) {
			fprintf(stderr, "cannot load %s\n", argv[1]);
			return 2;
		}
		sepol_set_policydb(&pdb);
	}
	fclose(fp);
	sepol_sidtab_init(&table);
	sepol_set_sidtab(&table);
	puts("ready");
	fflush(stdout);
	while (fgets(line, sizeof line, stdin)) {
		char *save = NULL;
		char *verb = strtok_r(line, " \t\r\n", &save);
		char *a = strtok_r(NULL, " \t\r\n", &save);
		char *b = strtok_r(NULL, " \t\r\n", &save);
		char *c = strtok_r(NULL, " \t\r\n", &save);
		if (!verb) continue;
		if (!strcmp(verb, "sync")) { puts("synced"); fflush(stdout); continue; }
		reset_sidtab();
		if (!strcmp(verb, "av") && c) answer_av(a, b, c);
		else if (!strcmp(verb, "create") && c) answer_create(a, b, c);
		else if (!strcmp(verb, "valid") && a) answer_valid(a);
		else if (!strcmp(verb, "perms") && a) answer_perms(a);
		else puts("err syntax");
	}
	fflush(stdout);
	return 0;
}
