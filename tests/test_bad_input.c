/*
 * test_bad_input.c - every class of bad plant description, through the real
 * binary: `reesx run FIXTURE -q -o TMP/out` must exit 2, print exactly one line
 * "reesx: FIXTURE:LINE: SETTING: message" on stderr, nothing on stdout, write
 * no output file, and never print "nan".  A valid run must write all three
 * output files and exit 0.
 *
 * The fixtures are the .cfg files in tests/fixtures/bad, each tests/fixtures/small.cfg
 * with one error and a first line "# BAD: what is wrong".  Paths are absolute,
 * from $REESX_BIN (set by `make test`): REPO/build/reesx -> REPO.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rx.h"

#define EXIT_BAD_INPUT 2
#define MAX_OUTPUT (1 << 20)
#define RUN_TIMEOUT_MS 20000 /* per run of the binary (asan/valgrind builds are slow) */

/* What one run of the binary did. */
typedef struct {
    int status;          /* exit code, or 128 + signal */
    int timed_out;
    char *out, *err;     /* stdout and stderr (malloc'd, NUL-terminated) */
    char listing[1024];  /* names in the output dir, space separated; "-" if it was not created */
    char *files[3];      /* contents of stages.csv, streams.csv, summary.json (NULL if absent) */
} Run;

static const char *const output_files[3] = {"stages.csv", "streams.csv", "summary.json"};

static const char *reesx_bin(void)
{
    const char *bin = getenv("REESX_BIN");
    cr_assert(bin && bin[0], "REESX_BIN is not set (run the suite with `make test`)");
    cr_assert(access(bin, X_OK) == 0, "REESX_BIN=%s is not executable", bin);
    return bin;
}

/* REPO from REPO/<builddir>/reesx. */
static const char *repo_root(void)
{
    static char root[PATH_MAX];
    char *real = realpath(reesx_bin(), NULL);
    cr_assert(real, "cannot resolve REESX_BIN");
    snprintf(root, sizeof root, "%s", real);
    free(real);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(root, '/');
        cr_assert(slash && slash != root, "REESX_BIN is not REPO/build/reesx");
        *slash = '\0';
    }
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/tests/fixtures/bad", root);
    struct stat st;
    cr_assert(stat(probe, &st) == 0 && S_ISDIR(st.st_mode), "%s: no fixture directory", probe);
    return root;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(MAX_OUTPUT + 1);
    size_t n = buf ? fread(buf, 1, MAX_OUTPUT, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Remove dir and everything below it. */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(path);
            else
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* `reesx CMD CONFIG [-q] -o TMP/out` with stdout and stderr captured.  Every
 * result is collected and the temp dir removed before anything is asserted. */
static Run run_command(const char *cmd, const char *config, int quiet)
{
    const char *bin = reesx_bin();
    Run r;
    memset(&r, 0, sizeof r);
    char tmp[] = "/tmp/reesx-bad-input-XXXXXX";
    cr_assert(mkdtemp(tmp), "mkdtemp failed");
    char outdir[64], outpath[64], errpath[64];
    snprintf(outdir, sizeof outdir, "%s/out", tmp);
    snprintf(outpath, sizeof outpath, "%s/stdout", tmp);
    snprintf(errpath, sizeof errpath, "%s/stderr", tmp);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork failed");
    if (pid == 0) {
        int fo = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fo < 0 || fe < 0 || dup2(fo, STDOUT_FILENO) < 0 || dup2(fe, STDERR_FILENO) < 0)
            _exit(126);
        char *argv[] = {(char *)bin, (char *)cmd, (char *)config, "-o", outdir, quiet ? "-q" : NULL, NULL};
        execv(bin, argv);
        _exit(127);
    }
    /* Our own time limit: Criterion's .timeout leaks in its runner (ASan). */
    int ws = 0, waited_ms = 0;
    pid_t done;
    while ((done = waitpid(pid, &ws, WNOHANG)) == 0 && waited_ms < RUN_TIMEOUT_MS) {
        usleep(1000);
        waited_ms++;
    }
    if (done == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &ws, 0);
        r.timed_out = 1;
    }
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    r.out = slurp(outpath);
    r.err = slurp(errpath);
    DIR *d = opendir(outdir);
    if (!d)
        snprintf(r.listing, sizeof r.listing, "-");
    else {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                snprintf(r.listing + strlen(r.listing), sizeof r.listing - strlen(r.listing), "%s%s",
                         r.listing[0] ? " " : "", e->d_name);
        closedir(d);
    }
    for (int i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", outdir, output_files[i]);
        r.files[i] = slurp(path);
    }
    remove_tree(tmp);
    cr_assert(!r.timed_out, "%s: reesx did not finish in %d ms", config, RUN_TIMEOUT_MS);
    cr_assert(r.out && r.err, "cannot read the captured output of %s", config);
    return r;
}

static Run run_reesx(const char *config, int quiet)
{
    return run_command("run", config, quiet);
}

static void run_free(Run *r)
{
    free(r->out);
    free(r->err);
    for (int i = 0; i < 3; i++)
        free(r->files[i]);
}

/* Does text contain the word "nan" (any case)?  Paths are ignored, and so, when
 * skip_quoted, is text between single quotes: messages quote the user's own
 * input there, e.g. 'nan L/h'. */
static int has_nan(const char *text, const char *ignore, int skip_quoted)
{
    size_t n = strlen(text), k = ignore ? strlen(ignore) : 0;
    char *t = malloc(n + 1);
    cr_assert(t);
    for (size_t i = 0; i <= n; i++)
        t[i] = (char)tolower((unsigned char)text[i]);
    if (k) /* blank every occurrence of the path (it could contain "nan") */
        for (char *p = t; (p = strstr(p, ignore)) != NULL;)
            memset(p, ' ', k);
    for (char *p = t; skip_quoted && (p = strchr(p, '\'')) != NULL;) {
        char *q = strpbrk(p + 1, "'\n");
        if (!q || *q == '\n') {
            p++;
            continue;
        }
        memset(p, ' ', (size_t)(q - p + 1));
        p = q + 1;
    }
    int found = 0; /* as a word: "nan", "-nan", "nan," but not "dominant" */
    for (const char *p = t; !found && (p = strstr(p, "nan")) != NULL; p++)
        found = (p == t || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[3]);
    free(t);
    return found;
}

/* The fixture must fail with exactly "reesx: PATH:LINE: SETTING: ...PHRASE...\n". */
static void check_bad_cmd(const char *cmd, const char *fixture, int line, const char *setting, const char *phrase)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/bad/%s.cfg", repo_root(), fixture);
    cr_assert(access(path, R_OK) == 0, "missing fixture %s", path);
    Run r = run_command(cmd, path, 1);
    char prefix[PATH_MAX + 256];
    snprintf(prefix, sizeof prefix, "reesx: %s:%d: %s: ", path, line, setting);
    const char *msg = r.err + (strncmp(r.err, prefix, strlen(prefix)) ? 0 : strlen(prefix));
    cr_expect_eq(r.status, EXIT_BAD_INPUT, "%s: exit status %d, expected 2; stderr: %s", fixture, r.status, r.err);
    cr_expect(strncmp(r.err, prefix, strlen(prefix)) == 0, "%s: stderr does not start with\n  %s\ngot\n  %s", fixture,
              prefix, r.err);
    cr_expect(strstr(msg, phrase) != NULL, "%s: message lacks \"%s\": %s", fixture, phrase, r.err);
    size_t len = strlen(r.err);
    cr_expect(len > 0 && r.err[len - 1] == '\n' && strchr(r.err, '\n') == r.err + len - 1,
              "%s: expected one line on stderr, got: %s", fixture, r.err);
    cr_expect_str_empty(r.out, "%s: -q run printed on stdout: %s", fixture, r.out);
    cr_expect(!strcmp(r.listing, "-") || r.listing[0] == '\0', "%s: output dir holds: %s", fixture, r.listing);
    cr_expect(r.files[2] == NULL, "%s: summary.json was written on a bad input", fixture);
    cr_expect(!has_nan(r.err, path, 1) && !has_nan(r.out, path, 1), "%s: output contains nan: %s", fixture, r.err);
    run_free(&r);
}

static void check_bad(const char *fixture, int line, const char *setting, const char *phrase)
{
    check_bad_cmd("run", fixture, line, setting, phrase);
}

/* fixture (tests/fixtures/bad/NAME.cfg), line, setting, key phrase of the message */
#define BAD_INPUTS(X)                                                                                       \
    X(unknown_top_key, 3, "plant", "unknown setting")                                                     \
    X(unknown_feed_key, 12, "feeds[0].temperature", "unknown setting")                                    \
    X(missing_version, 1, "version", "required setting is missing")                                       \
    X(missing_extractant, 1, "extractant", "required setting is missing")                                 \
    X(missing_sections, 1, "sections", "required setting is missing")                                     \
    X(missing_feeds, 1, "feeds", "required setting is missing")                                           \
    X(missing_stage, 10, "feeds[0].stage", "required setting is missing")                                 \
    X(missing_flow, 15, "feeds[2].flow", "required setting is missing")                                   \
    X(missing_acid, 13, "feeds[1].acid", "required setting is missing")                                   \
    X(stages_string, 6, "sections[0].stages", "expected an integer")                                      \
    X(flow_number, 15, "feeds[2].flow", "expected a quantity with its unit")                              \
    X(flow_no_unit, 15, "feeds[2].flow", "has no unit")                                                   \
    X(flow_negative, 10, "feeds[0].flow", "flow must be positive")                                        \
    X(flow_zero, 13, "feeds[1].flow", "flow must be positive")                                            \
    X(flow_nan, 10, "feeds[0].flow", "does not start with a number")                                      \
    X(saponification_60, 3, "extractant.saponification", "60 % is not feasible")                         \
    X(feed_saponification_60, 15, "feeds[2].saponification", "60 % is not feasible")                      \
    X(element_unknown, 12, "feeds[0].composition.Xx", "'Xx' is not in the element data")                  \
    X(concentration_negative, 12, "feeds[0].composition.Nd", "must not be negative")                      \
    X(unit_typo_flow, 10, "feeds[0].flow", "unknown unit 'L/hr'")                                          \
    X(unit_typo_conc, 12, "feeds[0].composition.Nd", "unknown unit 'g/l'")                                 \
    X(acid_ph_abc, 11, "feeds[0].acid", "expected \"pH <number>\"")                                       \
    X(acid_number, 14, "feeds[1].acid", "expected free acid as")                                          \
    X(phase_unknown, 10, "feeds[0].phase", "'oil' is not a phase")                                        \
    X(stage_out_of_range, 15, "feeds[2].stage", "stage 7 does not exist")                                 \
    X(stage_section_position, 13, "feeds[1].stage", "position must be first, last or 1..3")               \
    X(stage_nosuch_section, 10, "feeds[0].stage", "'nosuch:last' names no section")                       \
    X(sections_zero_stages, 7, "sections[1].stages", "must be 1 to 2000")                                   \
    X(section_duplicate, 7, "sections[1].name", "defined twice")                                          \
    X(duplicate_stream_name, 13, "feeds[1].name", "'feed' is already the name of a stream")               \
    X(no_organic_feed, 9, "feeds", "needs at least one organic feed")                                     \
    X(product_target_not_in_feed, 18, "products[0].targets", "'Ce' is in no feed")                        \
    X(product_target_twice, 19, "products[1].targets", "'Nd' is listed twice")                            \
    X(product_stream_unknown, 19, "products[1].stream", "'extract' is no outlet")                         \
    X(model_unknown, 4, "model.type", "unknown model 'magic'")                                            \
    X(version_2, 2, "version", "schema version 2 is not supported")                                       \
    X(syntax_missing_comma, 7, "syntax", "syntax error")                                                  \
    X(syntax_missing_brace, 16, "syntax", "syntax error")                                                 \
    X(syntax_unclosed, 19, "syntax", "at the end of the file")                                            \
    X(draw_fraction, 18, "draws[0].fraction", "fraction must be in (0, 1]")                               \
    X(extractant_unknown, 3, "extractant.name", "no usable data for extractant 'P999'")                  \
    X(extractant_zero, 3, "extractant.concentration", "must be positive")                                 \
    X(tolerance_range, 21, "solver.tolerance", "must be from 1e-14 to below 0.001")                               \
    X(model_key_other_model, 4, "model.capacity", "not a setting of the mass_action model")                \
    X(model_k_misspelt, 5, "model.log10_K.Ndd", "'Ndd' is not in the element data")                        \
    X(product_name_twice, 19, "products[1].name", "product 'La' is defined twice")                         \
    X(mixer_negative, 6, "sections[0].mixer", "volume must be positive")                                   \
    X(event_outside_horizon, 24, "dynamics.events[0].time", "12 h is outside the horizon")                 \
    X(event_unknown_stream, 24, "dynamics.events[0].stream", "'reflux' is not a feed of the plant")        \
    X(dynamics_no_mixer, 22, "dynamics", "section 'extraction' has no mixer")                               \
    X(empirical_needs_dosage, 4, "model", "empirical_logd needs extractant.concentration as a dosage in v/v%")   \
    X(target_not_ree, 19, "products[1].targets", "'Na' is not a rare earth")                                  \
    X(flow_huge, 15, "feeds[2].flow", "is out of range")                                                     \
    X(draw_starves, 17, "draws", "stage 1 gets no aqueous flow")                                           \
    X(activity_unknown, 4, "model.activity", "'bromley' is not an activity model")                            \
    X(activity_no_data, 4, "model.activity", "no Pitzer parameters for Dy")                                 \
    X(activity_sulfate, 4, "model.activity", "chloride media only")                                         \
    X(design_unknown_product, 27, "design.targets[0].product", "'Gd' is not a product of the plant")         \
    X(design_two_kinds, 27, "design.targets[0]", "give exactly one of purity, recovery, max_share, min_ph") \
    X(design_stage_range, 28, "design.stages[0]", "need 1 <= min <= max")                                  \
    X(design_unknown_feed, 28, "design.flows[0].feed", "'steam' is not a feed of the plant")               \
    X(cost_unknown_price, 21, "cost.prices.steam", "'steam' has no price here")                             \
    X(design_cost_no_holdups, 27, "design.objective", "the cost objective needs every section's holdups")      \
    X(flowsheet_unknown_circuit, 5, "flowsheet.connections[0].from", "'X' is not a circuit of the flowsheet") \
    X(flowsheet_phase, 5, "flowsheet.connections[0].to", "an aqueous outlet cannot become an organic feed")   \
    X(flowsheet_missing_file, 4, "flowsheet.circuits[0].file", "cannot open circuit file")                   \
    X(design_share_twice, 27, "design.targets[0].elements", "'Nd' is listed twice")                           \
    X(design_numeric_stage, 16, "feeds[1].stage", "stage 46 is a number, which does not move")                \
    X(spec_vary_word, 21, "design.specs[0].vary", "'flux' is not what a spec varies")                      \
    X(spec_unknown_feed, 21, "design.specs[0].feed", "'solvent' is not a feed of the plant")              \
    X(spec_range_empty, 21, "design.specs[0]", "min must be below max")                                    \
    X(spec_no_target, 21, "design.specs[0].target", "required setting is missing")                        \
    X(spec_twice, 23, "design.specs[1].vary", "fresh organic flow is varied by two specs")                \
    X(spec_sap_range, 21, "design.specs[0]", "need 0 < min < max < 50 %")                                 \
    X(spec_ph_organic, 22, "design.specs[0].target.min_ph", "product 'Nd' is an organic stream")          \
    X(spec_draw_with_feed, 21, "design.specs[0].feed", "does not belong to vary = \"draw\"")               \
    X(window_spec_feed, 23, "design.window[0].feed", "is solved by a spec, which puts it on a target")   \
    X(window_too_wide, 22, "design.window[0].at_least", "must be from 0 to below 50 %") \
    X(uncertainty_unknown_feed, 21, "uncertainty.feeds[0].feed", "'steam' is not a feed of the plant")      \
    X(uncertainty_samples_zero, 21, "uncertainty.samples", "0: must be 1 to 1000000")                       \
    X(uncertainty_sd_negative, 21, "uncertainty.constants.Nd", "-0.1: must be 0 to 2 [log10]")              \
    X(uncertainty_spread_wide, 21, "uncertainty.feeds[0].flow", "sd 80 % of the nominal value: at most 50 %") \
    X(uncertainty_corr_range, 21, "uncertainty.correlations[0]", "correlation 1.5: must be above -1")       \
    X(uncertainty_not_in_feed, 21, "uncertainty.feeds[0].composition.Ce", "'Ce' is in no feed of the plant")

/* Plants reesx run solves but simulate refuses: same message contract. */
#define SIM_REFUSED(X)                                                                                      \
    X(dynamics_sulfate, 22, "dynamics", "sulfate media are not simulated in time yet")                    \
    X(dynamics_nonideal, 22, "dynamics", "section 'scrub' has a stage efficiency or entrainment")

/* Limits on the input itself (issue 11; more in tests/test_harden_input.c). */
#define INPUT_LIMITS(X)                                                                                     \
    X(input_sections_65, 5, "sections", "65 sections: at most 64")                                          \
    X(input_stages_total, 7, "sections[1].stages", "make 2001 in the circuit: at most 2000 in all")          \
    X(input_stages_wrap, 6, "sections[0].stages", "4294967299 stages: must be 1 to 2000")                   \
    X(input_integer_65bit, 6, "syntax", "integer 18446744073709551619 does not fit in 64 bits")             \
    X(input_stage_wrap, 15, "feeds[2].stage", "stage 4294967297 does not exist")                           \
    X(input_version_wrap, 2, "version", "schema version 4294967297 is not supported")                      \
    X(input_iterations_wrap, 21, "solver.max_iterations", "4294967297 iterations: must be 1 to 1000000")     \
    X(input_tolerance_tiny, 21, "solver.tolerance", "1e-300: must be from 1e-14")                           \
    X(input_metal_total, 12, "feeds[0].composition", "20 mol/L of metal in all is more than an aqueous dissolves") \
    X(input_chloride_total, 12, "feeds[0].composition", "15 mol/L of chloride")                             \
    X(input_conc_digits, 12, "feeds[0].composition.La", "20.0001 mol/L is more than")                       \
    X(input_data_dev_zero, 4, "model.data", "data file /dev/zero is not a regular file")                     \
    X(input_string_long, 4, "model.data", "a string of 5000 bytes: at most 4095")                           \
    X(input_title_latin1, 3, "title", "not UTF-8 text (byte 0xe9")                                          \
    X(input_include_dir, 2, "@include", "the included file is not a regular file (a directory)")

#define BAD_TEST(name, line, setting, phrase)                                                               \
    Test(bad_input, name) { check_bad(#name, line, setting, phrase); }
BAD_INPUTS(BAD_TEST)
INPUT_LIMITS(BAD_TEST)

/* A plant command cmd refuses with the message contract, and reesx run solves. */
static void check_refused(const char *cmd, const char *fixture, int line, const char *setting, const char *phrase)
{
    check_bad_cmd(cmd, fixture, line, setting, phrase);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/bad/%s.cfg", repo_root(), fixture);
    Run r = run_reesx(path, 1);
    int status = r.status;
    run_free(&r);
    cr_expect_eq(status, 0, "%s: reesx run should solve it", fixture);
}

#define SIM_TEST(name, line, setting, phrase) \
    Test(bad_input, name) { check_refused("simulate", #name, line, setting, phrase); }
SIM_REFUSED(SIM_TEST)

/* Plants reesx run solves but uncertainty refuses: same message contract. */
#define UNC_REFUSED(X)                                                                                      \
    X(uncertainty_corr_not_definite, 21, "uncertainty.correlations", "not positive definite")

#define UNC_TEST(name, line, setting, phrase) \
    Test(bad_input, name) { check_refused("uncertainty", #name, line, setting, phrase); }
UNC_REFUSED(UNC_TEST)

#define BAD_NAME(name, line, setting, phrase) #name,
static const char *const bad_names[] = {BAD_INPUTS(BAD_NAME) SIM_REFUSED(BAD_NAME) UNC_REFUSED(BAD_NAME)
                                            INPUT_LIMITS(BAD_NAME) NULL};

/* Every fixture on disk is in the table above and says what is wrong. */
Test(bad_input, every_fixture_is_checked)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/bad", repo_root());
    DIR *d = opendir(dir);
    cr_assert(d, "cannot open %s", dir);
    int seen = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".cfg") != 0)
            continue;
        seen++;
        int known = 0;
        for (const char *const *b = bad_names; *b && !known; b++)
            known = strlen(*b) == n - 4 && strncmp(*b, e->d_name, n - 4) == 0;
        cr_expect(known, "fixture %s is not in BAD_INPUTS of test_bad_input.c", e->d_name);
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = slurp(path);
        cr_expect(text && strncmp(text, "# BAD: ", 7) == 0, "%s: first line must be \"# BAD: what is wrong\"",
                  e->d_name);
        free(text);
    }
    closedir(d);
    cr_expect_eq(seen, (int)(sizeof bad_names / sizeof *bad_names) - 1, "fixtures on disk vs BAD_INPUTS");
}

static void check_good(const char *relpath)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", repo_root(), relpath);
    Run r = run_reesx(path, 0);
    cr_expect_eq(r.status, 0, "%s: exit status %d; stderr: %s", relpath, r.status, r.err);
    cr_expect_str_empty(r.err, "%s: stderr: %s", relpath, r.err);
    cr_expect(strstr(r.out, "wrote ") != NULL, "%s: stdout does not report the files written:\n%s", relpath, r.out);
    cr_expect(!has_nan(r.out, path, 0), "%s: stdout contains nan:\n%s", relpath, r.out);
    int nlisted = 0;
    for (const char *p = r.listing; *p; p++)
        nlisted += p == r.listing || p[-1] == ' ';
    cr_expect_eq(nlisted, 3, "%s: output dir should hold exactly the three outputs, holds: %s", relpath, r.listing);
    for (int i = 0; i < 3; i++) {
        cr_expect(r.files[i] && r.files[i][0], "%s: %s missing or empty", relpath, output_files[i]);
        cr_expect(!r.files[i] || !has_nan(r.files[i], path, 0), "%s: %s contains nan", relpath, output_files[i]);
    }
    run_free(&r);
}

/* A CONFIG that does not exist is bad input too: exit 2, named, nothing written. */
Test(bad_input, missing_config_file)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/bad/no-such-file.cfg", repo_root());
    Run r = run_reesx(path, 1);
    cr_expect_eq(r.status, EXIT_BAD_INPUT, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.err, path) && strstr(r.err, "cannot open the plant description"), "stderr: %s", r.err);
    cr_expect(r.files[2] == NULL, "summary.json was written");
    run_free(&r);
}

/* A description held in memory names itself and its lines like a file:
 * a syntax error at the end points at the last line, a bad value at its own. */
Test(bad_input, text_descriptions_name_their_lines)
{
    RxPlant *p = NULL;
    RxError err;
    rx_error_clear(&err);
    cr_expect_eq(rx_plant_load_text("version = 1;\nmodel = {\n", "inline", &p, &err), RX_BAD_INPUT);
    cr_expect_str_eq(err.where, "inline:2");
    cr_expect(strstr(err.msg, "unclosed"), "%s", err.msg);
    cr_expect_null(p);
    rx_error_clear(&err);
    cr_expect_eq(rx_plant_load_text("version = 1;\n"
                                     "model = { type = \"constant_d\"; D = { La = -1.0; }; };\n"
                                     "sections = ( { name = \"x\"; stages = 2; } );\n"
                                     "feeds = ( { name = \"feed\"; phase = \"aqueous\"; stage = 2; flow = \"1 L/h\";\n"
                                     "            acid = \"0.1 mol/L\"; composition = { La = \"0.1 mol/L\"; }; },\n"
                                     "          { name = \"solvent\"; phase = \"organic\"; stage = 1; flow = \"1 L/h\"; } );\n",
                                     "inline", &p, &err),
                 RX_BAD_INPUT);
    cr_expect_str_eq(err.where, "inline:2");
    cr_expect(strstr(err.msg, "D"), "%s", err.msg);
    cr_expect_null(p);
    /* No name: the text is still named in messages. */
    rx_error_clear(&err);
    cr_expect_eq(rx_plant_load_text("version = 1;\nmodel = {\n", NULL, &p, &err), RX_BAD_INPUT);
    cr_expect_str_eq(err.where, "<text>:2");
    rx_error_clear(&err);
    cr_expect_eq(rx_plant_load_text(NULL, "inline", &p, &err), RX_BAD_INPUT);
    cr_expect_null(p);
}

/* Non-convergence: exit 3, the residual and the stage and element where it is
 * worst, no NaN, nothing written. */
Test(not_converged, exits_3_and_says_where)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/not_converged.cfg", repo_root());
    Run r = run_reesx(path, 1);
    cr_expect_eq(r.status, 3, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.err, "did not converge") && strstr(r.err, "max |ln residual|") && strstr(r.err, "at stage ") &&
                  strstr(r.err, "element "),
              "stderr: %s", r.err);
    cr_expect(!has_nan(r.err, path, 0) && !has_nan(r.out, path, 0), "output contains nan: %s", r.err);
    cr_expect(r.files[2] == NULL, "summary.json was written");
    run_free(&r);
}

/* A failed integration: exit 3 naming time, place and CVODE flag, and what
 * was computed up to then is written. */
Test(not_converged, simulate_failure_writes_partial_output)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/dyn_fail.cfg", repo_root());
    Run r = run_command("simulate", path, 1);
    cr_expect_eq(r.status, 3, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.err, "integration failed at t = ") && strstr(r.err, "stage ") &&
                  strstr(r.err, "CV_TOO_MUCH_WORK"),
              "stderr: %s", r.err);
    cr_expect(strstr(r.listing, "timeseries.csv") && strstr(r.listing, "final.state"), "written: %s", r.listing);
    cr_expect(!has_nan(r.err, path, 0), "nan in: %s", r.err);
    run_free(&r);
}

Test(good_input, default_cfg_writes_all_outputs) { check_good("configs/default.cfg"); }
Test(good_input, small_fixture_writes_all_outputs) { check_good("tests/fixtures/small.cfg"); }

/* reesx design: a small search gives a design and its tables; targets out
 * of reach give exit 6, say which, and write no design.cfg. */
Test(good_input, design_writes_the_design_and_its_tables)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/fixtures/design_small.cfg", repo_root());
    Run r = run_command("design", path, 0);
    cr_expect_eq(r.status, 0, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.out, "cascade theory (Xu Guangxian), key pair Nd/Pr") != NULL, "stdout: %s", r.out);
    cr_expect(strstr(r.out, "chosen design") != NULL, "stdout: %s", r.out);
    for (const char *f = "design.cfg\0candidates.csv\0pareto.csv\0"; *f; f += strlen(f) + 1)
        cr_expect(strstr(r.listing, f) != NULL, "%s not written: %s", f, r.listing);
    cr_expect(!has_nan(r.out, path, 0), "stdout contains nan:\n%s", r.out);
    run_free(&r);
    snprintf(path, sizeof path, "%s/tests/fixtures/design_infeasible.cfg", repo_root());
    r = run_command("design", path, 0);
    cr_expect_eq(r.status, 6, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.out, "cannot be met: Nd: purity >= 99.9999 %; best reachable") != NULL, "stdout: %s", r.out);
    cr_expect(strstr(r.listing, "design.cfg") == NULL, "design.cfg written: %s", r.listing);
    cr_expect(strstr(r.listing, "candidates.csv") != NULL, "candidates.csv missing: %s", r.listing);
    run_free(&r);
}

/* reesx cost: the default plant gives cost.json and sensitivity.csv; a plant
 * without holdups is refused with the section named. */
Test(good_input, cost_writes_its_tables)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/configs/default.cfg", repo_root());
    Run r = run_command("cost", path, 0);
    cr_expect_eq(r.status, 0, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.out, "cost ") && strstr(r.out, "USD/kg REO") && strstr(r.out, "sensitivity"), "stdout: %s",
              r.out);
    cr_expect(strstr(r.listing, "cost.json") && strstr(r.listing, "sensitivity.csv"), "written: %s", r.listing);
    cr_expect(!has_nan(r.out, path, 0), "stdout contains nan:\n%s", r.out);
    run_free(&r);
    snprintf(path, sizeof path, "%s/configs/ndpr_binary.cfg", repo_root());
    r = run_command("cost", path, 1);
    cr_expect_eq(r.status, EXIT_BAD_INPUT, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.err, "cost: section 'extraction' has no mixer") != NULL, "stderr: %s", r.err);
    cr_expect(strstr(r.listing, "cost.json") == NULL, "written: %s", r.listing);
    run_free(&r);
}

/* reesx run on a flowsheet: every circuit's outputs in its own directory,
 * the tear streams and the flowsheet balance printed. */
Test(good_input, flowsheet_runs_every_circuit)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/configs/ndpr_plant.cfg", repo_root());
    Run r = run_command("run", path, 0);
    cr_expect_eq(r.status, 0, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.out, "== circuit SEG ==") && strstr(r.out, "== circuit NdPr =="), "stdout: %s", r.out);
    cr_expect(strstr(r.out, "tear streams") && strstr(r.out, "flowsheet balance"), "stdout: %s", r.out);
    cr_expect(strstr(r.listing, "SEG") && strstr(r.listing, "NdPr"), "written: %s", r.listing);
    cr_expect(!has_nan(r.out, path, 0), "stdout contains nan:\n%s", r.out);
    run_free(&r);
}

/* reesx cost on a flowsheet: every circuit costed, the final products named. */
Test(good_input, cost_of_a_flowsheet)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/configs/heavy_plant.cfg", repo_root());
    Run r = run_command("cost", path, 0);
    cr_expect_eq(r.status, 0, "exit status %d; stderr: %s", r.status, r.err);
    cr_expect(strstr(r.out, "TbDy:Dy(Ho) strip liquor") && strstr(r.out, "USD/kg REO"), "stdout: %s", r.out);
    cr_expect(strstr(r.listing, "cost.json") && strstr(r.listing, "sensitivity.csv"), "written: %s", r.listing);
    cr_expect(!has_nan(r.out, path, 0), "stdout contains nan:\n%s", r.out);
    run_free(&r);
}
