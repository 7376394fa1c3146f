/*
 * json_bench.c - throughput of the SDK's JSON parser and writer on a typical
 * 1 KiB object (a Falco-style alert with nested fields, strings with escapes,
 * integers, a double and arrays). Prints MB/s; no pass/fail.
 *
 *   json_bench [seconds-per-measure]      (default 1)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <falco/json.h>

static const char sample[] =
    "{\"hostname\":\"ip-10-0-12-34.ec2.internal\",\"output\":\"14:02:11.123456789: Warning Sensitive file "
    "opened for reading by non-trusted program (user=root user_loginuid=-1 program=cat command=cat "
    "/etc/shadow pid=4242 file=/etc/shadow parent=bash gparent=sshd container_id=host image=<NA>)\","
    "\"priority\":\"Warning\",\"rule\":\"Read sensitive file untrusted\",\"source\":\"syscall\","
    "\"tags\":[\"filesystem\",\"mitre_credential_access\",\"T1555\",\"host\",\"container\"],"
    "\"time\":\"2024-11-25T14:02:11.123456789Z\",\"output_fields\":{\"container.id\":\"host\","
    "\"container.image.repository\":null,\"evt.time\":1732543331123456789,\"fd.name\":\"/etc/shadow\","
    "\"proc.aname[2]\":\"sshd\",\"proc.cmdline\":\"cat /etc/shadow\",\"proc.exepath\":\"/usr/bin/cat\","
    "\"proc.name\":\"cat\",\"proc.pid\":4242,\"proc.pname\":\"bash\",\"proc.tty\":34816,"
    "\"user.loginuid\":-1,\"user.name\":\"root\",\"evt.res\":\"SUCCESS\",\"evt.rawres\":3,"
    "\"fd.num\":3,\"thread.cpu\":0.0125,\"k8s.ns.name\":null,\"k8s.pod.name\":null,"
    "\"proc.env\":\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\\tHOME=/root\\n\","
    "\"evt.args\":\"fd=3(<f>/etc/shadow) dirfd=-100(AT_FDCWD) name=/etc/shadow flags=1(O_RDONLY) "
    "mode=0 dev=FD00 ino=1234567\",\"is_container\":false,\"unicode\":\"caf\\u00e9 \xe2\x9c\x93\"}}";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    double budget = argc > 1 ? atof(argv[1]) : 1.0;
    size_t len = sizeof sample - 1;
    falco_json_doc *doc = falco_json_doc_new();
    falco_json_writer *w = falco_json_writer_new();
    falco_json_error err;
    const falco_json_value *root = falco_json_parse(doc, sample, len, &err);
    if (!root) {
        fprintf(stderr, "sample does not parse: %s at %zu\n", err.message, err.offset);
        return 1;
    }
    printf("sample: %zu bytes, %zu top-level members\n", len, falco_json_size(root));

    /* parse, reusing the doc (the steady state: no allocation) */
    size_t iters = 0, checksum = 0;
    double t0 = now(), t;
    do {
        for (int i = 0; i < 1000; i++) {
            root = falco_json_parse(doc, sample, len, &err);
            checksum += falco_json_size(root);
        }
        iters += 1000;
    } while ((t = now()) - t0 < budget);
    printf("parse:          %8.1f MB/s  (%.0f ns per document)\n", (double)(iters * len) / (t - t0) / 1e6,
           (t - t0) / (double)iters * 1e9);

    /* parse + look up five fields, what a plugin does per event */
    iters = 0;
    t0 = now();
    do {
        for (int i = 0; i < 1000; i++) {
            root = falco_json_parse(doc, sample, len, &err);
            int64_t pid;
            checksum += (size_t)falco_json_i64(falco_json_pointer(root, "/output_fields/proc.pid"), &pid);
            checksum += falco_json_string(falco_json_member(root, "rule"), NULL) != NULL;
            checksum += falco_json_size(falco_json_member(root, "tags"));
            checksum += falco_json_string(falco_json_pointer(root, "/output_fields/fd.name"), NULL) != NULL;
            checksum += falco_json_member(root, "priority") != NULL;
        }
        iters += 1000;
    } while ((t = now()) - t0 < budget);
    printf("parse+5 lookups:%8.1f MB/s  (%.0f ns per document)\n", (double)(iters * len) / (t - t0) / 1e6,
           (t - t0) / (double)iters * 1e9);

    /* write the parsed tree back out */
    size_t out_len = 0;
    iters = 0;
    t0 = now();
    do {
        for (int i = 0; i < 1000; i++) {
            falco_json_writer_reset(w);
            falco_json_write_value(w, root);
            checksum += falco_json_writer_str(w, &out_len) != NULL;
        }
        iters += 1000;
    } while ((t = now()) - t0 < budget);
    printf("write:          %8.1f MB/s  (%.0f ns per document, %zu bytes out)\n",
           (double)(iters * out_len) / (t - t0) / 1e6, (t - t0) / (double)iters * 1e9, out_len);

    printf("(checksum %zu)\n", checksum);
    falco_json_writer_free(w);
    falco_json_doc_free(doc);
    return 0;
}
