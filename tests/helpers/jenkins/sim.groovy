// sim.groovy JENKINSFILE VARS_DIR — runs a declarative Jenkinsfile outside
// Jenkins, for tests: stages in order, `when { branch }` against BRANCH_NAME,
// `parameters {}` as `params` (defaults, overridden by the JSON object in
// JENKINS_SIM_PARAMS),
// `input` approved (recorded with the stage's agent and timeout option; its
// submitterParameter and parameters set as environment variables, see
// inputValues), nested `stages {}`, `agent` (any, none; inherited), `triggers {}`
// ignored, stash/unstash (checked, one workspace), `environment {}`, `withCredentials` bindings from
// the JSON file in JENKINS_SIM_CREDENTIALS ({"id": {"username","password"} |
// {"file"} | {"text"}}), shared-library steps from VARS_DIR/<name>.groovy, and
// `sh` run by /bin/sh -xe in the working directory (returnStatus/returnStdout
// as in Jenkins). Publishing steps (junit, recordIssues, archiveArtifacts) are
// recorded and their files checked to exist. Prints one "SIM <event>" line per
// stage and step; exits 1 when the build fails.
import groovy.json.JsonSlurper

class StepFailed extends RuntimeException {
    StepFailed(String m) { super(m) }
}

class Sim {
    Map<String, String> env = new LinkedHashMap<>(System.getenv())
    List<Map<String, String>> overlays = []
    Map creds
    Binding binding
    Map<String, Object> libs = [:]
    boolean failed = false
    Set<String> secrets = new HashSet<>()

    Map<String, String> effectiveEnv() {
        Map<String, String> e = new LinkedHashMap<>(env)
        overlays.each { e.putAll(it) }
        return e
    }

    void log(String s) {
        String out = s
        secrets.each { if (it) out = out.replace(it, '****') }
        println "SIM ${out}"
    }

    Object sh(Object arg) {
        Map opts = arg instanceof Map ? arg : [script: arg as String]
        String script = opts.script as String
        log("sh ${opts.label ?: script.trim().readLines()[0]}")
        ProcessBuilder pb = new ProcessBuilder('/bin/sh', '-xe', '-c', script)
        pb.environment().clear()
        pb.environment().putAll(effectiveEnv())
        pb.directory(new File(System.getProperty('user.dir')))
        File outFile = File.createTempFile('sim-sh', '.out')
        pb.redirectOutput(opts.returnStdout ? ProcessBuilder.Redirect.to(outFile) : ProcessBuilder.Redirect.INHERIT)
        pb.redirectError(ProcessBuilder.Redirect.INHERIT)
        int rc = pb.start().waitFor()
        String stdout = outFile.text
        outFile.delete()
        if (opts.returnStatus) {
            log("sh exit ${rc}")
            return rc
        }
        if (rc != 0) {
            throw new StepFailed("script returned exit code ${rc}")
        }
        return opts.returnStdout ? stdout : null
    }

    void withCredentials(List bindings, Closure body) {
        Map<String, String> vars = [:]
        bindings.each { Map b ->
            Map c = creds[b.credentialsId]
            if (c == null) {
                throw new StepFailed("unknown credentials '${b.credentialsId}'")
            }
            switch (b.kind) {
                case 'usernamePassword':
                    vars[b.usernameVariable] = c.username
                    vars[b.passwordVariable] = c.password
                    secrets << (c.password as String)
                    break
                case 'file':
                    vars[b.variable] = c.file
                    break
                case 'string':
                    vars[b.variable] = c.text
                    secrets << (c.text as String)
                    break
            }
        }
        log("withCredentials ${bindings.collect { it.credentialsId }}")
        overlays << vars
        try {
            body.call()
        } finally {
            overlays.remove(overlays.size() - 1)
        }
    }

    void published(String what, String pattern) {
        pattern.split(',').each { String p ->
            if (!new File(System.getProperty('user.dir'), p.trim()).exists()) {
                throw new StepFailed("${what}: no file '${p.trim()}'")
            }
        }
        log("${what} ${pattern}")
    }

    void install(Binding b) {
        binding = b
        b.setVariable('env', new EnvView(sim: this))
        b.setVariable('sh', { Object a -> sh(a) })
        b.setVariable('echo', { Object m -> log("echo ${m}") })
        b.setVariable('error', { Object m -> throw new StepFailed(m as String) })
        b.setVariable('fileExists', { Object p -> new File(System.getProperty('user.dir'), p as String).exists() })
        b.setVariable('junit', { Object a -> published('junit', a instanceof Map ? a.testResults : a) })
        b.setVariable('archiveArtifacts', { Map a ->
            a.artifacts.split(',').each { String p ->
                if (!a.allowEmptyArchive && !new File(System.getProperty('user.dir'), p).exists())
                    throw new StepFailed("archiveArtifacts: no file '${p}'")
            }
            log("archiveArtifacts ${a.artifacts}")
        })
        b.setVariable('sarif', { Map a -> [tool: 'sarif', pattern: a.pattern] })
        b.setVariable('recordIssues', { Map a -> published('recordIssues', a.tool.pattern) })
        b.setVariable('usernamePassword', { Map a -> a + [kind: 'usernamePassword'] })
        b.setVariable('file', { Map a -> a + [kind: 'file'] })
        b.setVariable('string', { Map a -> a + [kind: 'string'] })
        b.setVariable('withCredentials', { List l, Closure c -> withCredentials(l, c) })
        b.setVariable('stash', { Map a ->
            a.includes.split(',').each { String p ->
                if (!new File(System.getProperty('user.dir'), p.trim()).exists())
                    throw new StepFailed("stash ${a.name}: no file '${p.trim()}'")
            }
            stashes[a.name as String] = a.includes as String
            log("stash ${a.name} ${a.includes}")
        })
        b.setVariable('unstash', { Object n ->
            if (!stashes.containsKey(n as String))
                throw new StepFailed("unstash: no stash '${n}'")
            log("unstash ${n}")
        })
        b.setVariable('script', { Closure c -> c.call() })
        b.setVariable('pipeline', { Closure c -> runPipeline(c) })
        libs.each { name, script -> b.setVariable(name, { Object... a -> script.invokeMethod('call', a) }) }
    }

    static Map collect(Closure c, Object delegate) {
        Closure d = c.rehydrate(delegate, c.owner, c.thisObject)
        d.resolveStrategy = Closure.DELEGATE_FIRST
        d.call()
        return delegate instanceof Map ? delegate : [:]
    }

    void runPipeline(Closure body) {
        PipelineSpec spec = new PipelineSpec()
        Closure d = body.rehydrate(spec, body.owner, body.thisObject)
        d.resolveStrategy = Closure.DELEGATE_FIRST
        d.call()
        spec.environment.each { k, v -> env[k as String] = v as String }
        Map params = new LinkedHashMap(spec.parameters)
        String given = System.getenv('JENKINS_SIM_PARAMS')
        if (given) {
            params.putAll(new JsonSlurper().parse(given.bytes) as Map)
        }
        binding.setVariable('params', params)
        log("params ${params}")
        spec.stages.each { runStage(it, spec.agent) }
        runPost(spec.post, !failed)
        log(failed ? 'result FAILURE' : 'result SUCCESS')
    }

    // What the person who approved an input gave: the submitter's user id
    // (JENKINS_SIM_SUBMITTER, default "release-manager") under
    // submitterParameter, and the input's parameters (defaults, overridden by
    // the JSON object in JENKINS_SIM_INPUT) as environment variables.
    void inputValues(Map input) {
        Map given = [:]
        String json = System.getenv('JENKINS_SIM_INPUT')
        if (json) {
            given = new JsonSlurper().parse(json.bytes) as Map
        }
        if (input.submitterParameter) {
            env[input.submitterParameter as String] = System.getenv('JENKINS_SIM_SUBMITTER') ?: 'release-manager'
        }
        (input.parameters ?: [:]).each { k, v ->
            env[k as String] = (given.containsKey(k) ? given[k] : v) as String
        }
    }

    // A stage (and its nested stages) on `agent`, the one it inherits unless
    // it names its own. An input waits holding an executor unless the agent
    // is none; a stage's timeout option covers its input.
    void runStage(StageSpec st, Object inherited) {
        Object agent = st.agent != null ? st.agent : inherited
        if (failed) {
            log("stage ${st.name} skipped (earlier failure)")
            return
        }
        if (st.whenBranch != null && env.BRANCH_NAME != st.whenBranch) {
            log("stage ${st.name} skipped (branch ${env.BRANCH_NAME} is not ${st.whenBranch})")
            return
        }
        log("stage ${st.name}")
        if (st.input) {
            String t = st.options.timeout ? "timeout ${st.options.timeout.time} ${st.options.timeout.unit}" : 'no timeout'
            log("input '${st.input.message}' approved by ${st.input.submitter ?: 'anyone'} " +
                "(agent ${agent ?: 'none'}, ${t})")
            inputValues(st.input)
        }
        boolean ok = true
        try {
            st.steps?.call()
        } catch (StepFailed e) {
            ok = false
            failed = true
            log("stage ${st.name} FAILED: ${e.message}")
        }
        st.children.each { runStage(it, agent) }
        runPost(st.post, ok && !failed)
    }

    Map<String, String> stashes = [:]

    void runPost(Map post, boolean ok) {
        if (!post) {
            return
        }
        try {
            post.always?.call()
            if (ok) post.success?.call() else post.failure?.call()
        } catch (StepFailed e) {
            failed = true
            log("post FAILED: ${e.message}")
        }
    }
}

class EnvView {
    Sim sim
    Object getProperty(String n) { sim.effectiveEnv()[n] }
    void setProperty(String n, Object v) { sim.env[n] = v as String }
}

class PipelineSpec {
    Map environment = [:]
    Map parameters = new ParamSpec()
    List<StageSpec> stages = []
    Map post = new PostSpec()
    Object agent
    Object getAny() { 'any' }
    Object getNone() { 'none' }
    void agent(Object a) { agent = a }
    void options(Closure c) {}
    void triggers(Closure c) {}
    void environment(Closure c) { Sim.collect(c, environment) }
    void parameters(Closure c) { Sim.collect(c, parameters) }
    void stages(Closure c) { Sim.collect(c, this) }
    void stage(String name, Closure c) {
        StageSpec s = new StageSpec(name: name)
        Sim.collect(c, s)
        stages << s
    }
    void post(Closure c) { Sim.collect(c, post) }
}

class ParamSpec extends LinkedHashMap {
    void booleanParam(Map a) { put(a.name, a.defaultValue as boolean) }
    void string(Map a) { put(a.name, a.defaultValue as String) }
}

class PostSpec extends LinkedHashMap {
    void always(Closure c) { put('always', c) }
    void success(Closure c) { put('success', c) }
    void failure(Closure c) { put('failure', c) }
}

class StageSpec {
    String name
    Closure steps
    Map post = new PostSpec()
    String whenBranch
    Map input
    Object agent
    Map options = new OptionsSpec()
    List<StageSpec> children = []
    Object getAny() { 'any' }
    Object getNone() { 'none' }
    void agent(Object a) { agent = a }
    void options(Closure c) { Sim.collect(c, options) }
    void stages(Closure c) { Sim.collect(c, this) }
    void stage(String n, Closure c) {
        StageSpec s = new StageSpec(name: n)
        Sim.collect(c, s)
        children << s
    }
    void steps(Closure c) { steps = c }
    void post(Closure c) { Sim.collect(c, post) }
    void when(Closure c) { Sim.collect(c, new WhenSpec(stage: this)) }
    void input(Closure c) { input = Sim.collect(c, new InputSpec()) }
}

class WhenSpec {
    StageSpec stage
    void branch(String b) { stage.whenBranch = b }
    void beforeInput(boolean b) {}
}

class OptionsSpec extends LinkedHashMap {
    void timeout(Map a) { put('timeout', a) }
}

class InputSpec extends LinkedHashMap {
    void message(String m) { put('message', m) }
    void ok(String m) { put('ok', m) }
    void submitter(String m) { put('submitter', m) }
    void submitterParameter(String m) { put('submitterParameter', m) }
    void parameters(Closure c) { put('parameters', Sim.collect(c, new ParamSpec())) }
}

Sim sim = new Sim()
String credsPath = System.getenv('JENKINS_SIM_CREDENTIALS')
sim.creds = credsPath ? new JsonSlurper().parse(new File(credsPath)) : [:]
Binding b = new Binding()
File varsDir = new File(args[1])
varsDir.listFiles().findAll { it.name.endsWith('.groovy') }.each { File f ->
    Script s = new GroovyShell(b).parse(f)
    sim.libs[f.name - '.groovy'] = s
}
sim.install(b)
String text = new File(args[0]).text.replaceAll(/(?m)^@Library\(.*\)\s*_\s*$/, '')
new GroovyShell(b).evaluate(text)
System.exit(sim.failed ? 1 : 0)
