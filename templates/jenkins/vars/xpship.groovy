// xpship — Jenkins shared-library step.
//
//   @Library('xpship') _
//   def rc = xpship(command: 'gate', policy: 'gate.yaml', experiment: 'experiment.yaml',
//                   baseline: "${env.MODEL_REPO}:production", decision: 'decision.json')
//
// Runs one xpship command with `sh` and returns its exit status (0 success,
// 1 the answer is no, 2 usage, 3 malformed input, 4 local error, 5 registry
// error) instead of failing the stage, so the pipeline can branch on it. For
// `gate` it writes a JUnit report (one test case per rule) and publishes it with
// `junit`; for `validate` it writes SARIF for Warnings NG (`sarif: 'file'`).
// Every value is single-quoted for the shell; secrets belong in environment
// variables bound by withCredentials (keys as files or env://VAR), never in args.

def call(Map args = [:]) {
    String command = args.command
    if (!command) {
        error('xpship: the argument command is required')
    }
    List<String> argv = ['xpship', command]
    String junitFile = null
    switch (command) {
        case 'validate':
            if (args.sarif) {
                argv += ['--format', 'sarif']
            }
            argv += extra(args)
            argv << required(args, 'experiment')
            break
        case 'gate':
            argv += ['--policy', required(args, 'policy')]
            if (args.metrics) {
                argv += ['--metrics', args.metrics]
            } else {
                argv += ['--experiment', required(args, 'experiment')]
            }
            if (args.baseline) {
                argv += ['--baseline', args.baseline]
            }
            if (args.decision) {
                argv += ['--decision', args.decision]
            }
            junitFile = args.junit ?: 'xpship-gate-junit.xml'
            argv += ['--junit', junitFile]
            if (args.summary) {
                argv += ['--summary', args.summary]
            }
            argv += extra(args)
            break
        case 'pack':
            argv += ['-o', required(args, 'bundle'), '-t', required(args, 'tag')]
            if (args.experiment) {
                argv += ['--experiment', args.experiment]
            }
            if (args.decision) {
                argv += ['--decision', args.decision]
            }
            argv += extra(args)
            argv += list(required(args, 'paths'))
            break
        case 'sign':
        case 'attest':
            argv += ['--key', required(args, 'key')]
            if (command == 'attest' && args.experiment) {
                argv += ['--experiment', args.experiment]
            }
            if (command == 'attest' && args.decision) {
                argv += ['--decision', args.decision]
            }
            argv += extra(args)
            argv << required(args, 'bundle')
            break
        case 'verify':
            argv += ['--key', required(args, 'publicKey')]
            argv += extra(args)
            argv << required(args, 'bundle')
            break
        case 'push':
            argv += extra(args)
            argv += [required(args, 'bundle'), required(args, 'ref')]
            break
        case 'promote':
            if (args.publicKey) {
                argv += ['--verify-key', args.publicKey]
            }
            argv += extra(args)
            argv += [required(args, 'ref'), '--to', required(args, 'tag')]
            break
        default:
            argv += extra(args)
    }
    String script = argv.collect { quote(it as String) }.join(' ')
    if (command == 'validate' && args.sarif) {
        script += ' > ' + quote(args.sarif as String)
    }
    int rc = sh(script: script, returnStatus: true, label: "xpship ${command}")
    if (junitFile && fileExists(junitFile)) {
        junit(testResults: junitFile, allowEmptyResults: false)
    }
    return rc
}

private static String required(Map args, String name) {
    if (!args[name]) {
        throw new IllegalArgumentException("xpship ${args.command}: the argument ${name} is required")
    }
    return args[name] as String
}

private static List<String> list(Object v) {
    if (v instanceof Collection) {
        return v.collect { it as String }
    }
    return (v as String).trim().split(/\s+/) as List<String>
}

private static List<String> extra(Map args) {
    return args.args ? list(args.args) : []
}

// POSIX single quotes: the shell sees the value exactly, whatever it contains.
private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'"
}
