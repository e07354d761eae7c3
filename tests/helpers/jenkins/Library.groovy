// Stand-in for Jenkins' @Library annotation so groovyc can syntax-check a
// Jenkinsfile outside Jenkins.
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy

@Retention(RetentionPolicy.SOURCE)
@interface Library {
    String[] value()
}
