// xpship — Jenkins shared-library step: runs one xpship command and returns
// its exit status instead of failing the stage, so the pipeline can branch on it.
//
//   @Library('xpship') _
//   xpship(command: 'evaluate', predictions: 'predictions.csv', metrics: 'metrics.json',
//          args: '--score score --group sex --bootstrap 1000')
//   int rc = xpship(command: 'gate', policy: 'gate.yaml', experiment: 'experiment.yaml',
//                   baseline: "${env.MODEL_REPO}:production", decision: 'decision.json')
//
// Exit status: 0 success, 1 the answer is no (invalid record, gate failed,
// verification failed), 2 usage, 3 malformed input, 4 local error, 5 registry
// error.
//
// Arguments (all strings; `args` and `paths` may also be lists):
//   command      the xpship command (required)
//   args         further arguments, appended as they are
//   experiment   validate FILE; gate/pack/attest --experiment
//   sarif        validate: also write SARIF 2.1.0 there (for Warnings NG:
//                recordIssues(tool: sarif(pattern: FILE)))
//   policy       gate --policy (required for gate)
//   predictions  evaluate --predictions (required for evaluate); the task and
//                columns go in args: args: '--score score --group sex'
//   metrics      gate --metrics (instead of the experiment's selected run);
//                evaluate -o (the metrics file it writes)
//   baseline     gate --baseline: metrics file, bundle or HOST/REPO:TAG
//   decision     gate --decision (written); pack/attest --decision (read)
//   junit        gate --junit FILE (default xpship-gate.xml), published with
//                `junit`: one test case per rule; failed rules make the build
//                UNSTABLE
//   summary      gate --summary FILE (Markdown)
//   bundle       pack -o; the BUNDLE of sign, attest, verify, push
//   tag          pack -t; promote --to
//   paths        pack: model files and directories
//   key          sign/attest --key: a file (bind it with withCredentials) or env://VAR
//   publicKey    verify --key; promote --key
//   ref          push destination; promote source
//
// Every value is single-quoted for the shell, so nothing is interpolated.
// Secrets belong in variables bound by withCredentials (XPSHIP_KEY_PASSWORD,
// XPSHIP_REGISTRY_USERNAME/PASSWORD, key files), never in these arguments.
// Written without closures, so it runs as it reads under Jenkins' CPS.

def call(Map args = [:]) {
    String command = args.command ? args.command as String : ''
    if (!command) {
        error('xpship: the argument command is required')
    }
    List<String> argv = ['xpship', command]
    String junitFile = null
    String sarifFile = null
    switch (command) {
        case 'evaluate':
            argv.addAll(['--predictions', required(args, 'predictions')])
            option(argv, '-o', args.metrics)
            argv.addAll(words(args.args))
            break
        case 'validate':
            argv.addAll(words(args.args))
            argv.add(required(args, 'experiment'))
            sarifFile = args.sarif ? args.sarif as String : null
            break
        case 'gate':
            argv.addAll(['--policy', required(args, 'policy')])
            if (args.metrics) {
                argv.addAll(['--metrics', args.metrics as String])
            } else {
                argv.addAll(['--experiment', required(args, 'experiment')])
            }
            option(argv, '--baseline', args.baseline)
            option(argv, '--decision', args.decision)
            junitFile = args.junit ? args.junit as String : 'xpship-gate.xml'
            argv.addAll(['--junit', junitFile])
            option(argv, '--summary', args.summary)
            argv.addAll(words(args.args))
            break
        case 'pack':
            argv.addAll(['-o', required(args, 'bundle'), '-t', required(args, 'tag')])
            option(argv, '--experiment', args.experiment)
            option(argv, '--decision', args.decision)
            argv.addAll(words(args.args))
            required(args, 'paths')
            argv.addAll(words(args.paths))
            break
        case 'sign':
            argv.addAll(['--key', required(args, 'key')])
            argv.addAll(words(args.args))
            argv.add(required(args, 'bundle'))
            break
        case 'attest':
            argv.addAll(['--key', required(args, 'key')])
            option(argv, '--experiment', args.experiment)
            option(argv, '--decision', args.decision)
            argv.addAll(words(args.args))
            argv.add(required(args, 'bundle'))
            break
        case 'verify':
            argv.addAll(['--key', required(args, 'publicKey')])
            argv.addAll(words(args.args))
            argv.add(required(args, 'bundle'))
            break
        case 'push':
            argv.addAll(words(args.args))
            argv.addAll([required(args, 'bundle'), required(args, 'ref')])
            break
        case 'promote':
            option(argv, '--key', args.publicKey)
            argv.addAll(['--to', required(args, 'tag')])
            argv.addAll(words(args.args))
            argv.add(required(args, 'ref'))
            break
        default:
            argv.addAll(words(args.args))
    }
    if (junitFile) {
        sh(script: 'rm -f ' + quote(junitFile), label: 'xpship: clear the old JUnit report')
    }
    int rc = sh(script: shellLine(argv), returnStatus: true, label: 'xpship ' + command)
    if (sarifFile) {
        List<String> sarifArgv = ['xpship', 'validate']
        sarifArgv.addAll(words(args.args))
        sarifArgv.addAll(['--format', 'sarif', args.experiment as String])
        int src = sh(script: shellLine(sarifArgv) + ' > ' + quote(sarifFile), returnStatus: true,
                label: 'xpship validate: SARIF report')
        if (src > 1 && rc == 0) {
            rc = src
        }
    }
    if (junitFile && fileExists(junitFile)) {
        junit(testResults: junitFile, allowEmptyResults: false)
    }
    return rc
}

private String required(Map args, String name) {
    if (!args[name]) {
        error("xpship ${args.command}: the argument '${name}' is required")
    }
    return args[name] as String
}

private void option(List<String> argv, String flag, Object value) {
    if (value) {
        argv.add(flag)
        argv.add(value as String)
    }
}

// A list as it is, a string split on whitespace.
private List<String> words(Object v) {
    List<String> out = []
    if (v == null) {
        return out
    }
    if (v instanceof Collection) {
        for (Object o : (Collection) v) {
            out.add(o as String)
        }
        return out
    }
    for (String w : (v as String).trim().split('\\s+')) {
        if (w) {
            out.add(w)
        }
    }
    return out
}

private String shellLine(List<String> argv) {
    StringBuilder sb = new StringBuilder()
    for (String a : argv) {
        if (sb.length() > 0) {
            sb.append(' ')
        }
        sb.append(quote(a))
    }
    return sb.toString()
}

// POSIX single quotes: the shell sees the value exactly, whatever it contains.
private String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'"
}
