#include "connectiondialog.h"

#include "common/keyvalueeditor.h"
#include "config/configimport.h"
#include "review/report.h"
#include "session/protocolversion.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace mcpui {

namespace {

// The inverse of QProcess::splitCommand, so that the arguments survive an edit unchanged.
QString joinCommand(const QStringList &arguments)
{
    QStringList quoted;
    for (QString a : arguments) {
        if (a.isEmpty() || a.contains(QLatin1Char(' ')) || a.contains(QLatin1Char('"')))
            a = QLatin1Char('"') + a.replace(QLatin1String("\""), QLatin1String("\"\"\"")) + QLatin1Char('"');
        quoted << a;
    }
    return quoted.join(QLatin1Char(' '));
}

QStringList lines(const QPlainTextEdit *edit)
{
    QStringList result;
    for (const QString &l : edit->toPlainText().split(QLatin1Char('\n')))
        if (!l.trimmed().isEmpty())
            result << l.trimmed();
    return result;
}

QPlainTextEdit *smallTextEdit(const QString &placeholder, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setFixedHeight(edit->fontMetrics().height() * 4 + 12);
    return edit;
}

QLabel *secretsHint(QWidget *parent)
{
    auto *hint =
        new QLabel(QObject::tr("Secret values (tokens, keys, Authorization) are kept until you quit, "
                               "never saved in plain text. Write ${env:NAME} to read one from the "
                               "environment at connect time instead."),
                   parent);
    hint->setWordWrap(true);
    hint->setEnabled(false); // the palette's muted text colour
    return hint;
}

// A form label whose mnemonic focuses `buddy`: QFormLayout sets the buddy only when the field is a widget,
// and a label without one shows its "&" literally.
QLabel *labelFor(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text, buddy->parentWidget());
    label->setBuddy(buddy);
    return label;
}

} // namespace

ConnectionDialog::ConnectionDialog(const ConnectionProfile &profile, QWidget *parent)
    : QDialog(parent), m_profile(profile)
{
    setWindowTitle(profile.name.isEmpty() ? tr("New Connection") : tr("Edit Connection"));
    auto *form = new QFormLayout;
    m_name = new QLineEdit(profile.name, this);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("My server"));
    form->addRow(tr("&Name:"), m_name);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("kind"));
    m_kind->addItems({tr("Command (stdio)"), tr("URL (HTTP, SSE, WebSocket)")});
    form->addRow(tr("&Connect by:"), m_kind);

    // stdio page
    auto *stdioPage = new QWidget(this);
    auto *stdioForm = new QFormLayout(stdioPage);
    stdioForm->setContentsMargins(0, 0, 0, 0);
    m_command = new QLineEdit(profile.command, stdioPage);
    m_command->setObjectName(QStringLiteral("command"));
    m_command->setPlaceholderText(QStringLiteral("npx"));
    stdioForm->addRow(tr("Co&mmand:"), m_command);
    m_arguments = new QLineEdit(joinCommand(profile.arguments), stdioPage);
    m_arguments->setObjectName(QStringLiteral("arguments"));
    m_arguments->setPlaceholderText(QStringLiteral("-y @modelcontextprotocol/server-everything"));
    stdioForm->addRow(tr("&Arguments:"), m_arguments);
    m_environment = new KeyValueEditor(tr("Variable"), QLatin1Char('='), stdioPage);
    m_environment->setObjectName(QStringLiteral("environment"));
    m_environment->setToolTip(tr("The server gets only HOME, LOGNAME, PATH, SHELL, TERM, USER and the locale "
                                 "from this program's environment, and the variables set here."));
    m_environment->setLines(profile.environment);
    stdioForm->addRow(tr("&Environment:"), m_environment);
    stdioForm->addRow(QString(), secretsHint(stdioPage));
    m_workingDirectory = new QLineEdit(profile.workingDirectory, stdioPage);
    m_workingDirectory->setPlaceholderText(tr("(inherit)"));
    auto *browseDir = new QPushButton(tr("Browse…"), stdioPage);
    connect(browseDir, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Working Directory"), m_workingDirectory->text());
        if (!dir.isEmpty())
            m_workingDirectory->setText(dir);
    });
    auto *cwdRow = new QHBoxLayout;
    cwdRow->addWidget(m_workingDirectory);
    cwdRow->addWidget(browseDir);
    stdioForm->addRow(labelFor(tr("&Working directory:"), m_workingDirectory), cwdRow);

    // URL page
    auto *urlPage = new QWidget(this);
    auto *urlForm = new QFormLayout(urlPage);
    urlForm->setContentsMargins(0, 0, 0, 0);
    m_url = new QLineEdit(profile.url, urlPage);
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:3001/mcp"));
    urlForm->addRow(tr("&URL:"), m_url);
    m_transport = new QComboBox(urlPage);
    m_transport->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_transport->addItem(tr("Streamable HTTP"), QStringLiteral("http"));
    m_transport->addItem(tr("HTTP+SSE (legacy)"), QStringLiteral("sse"));
    m_transport->addItem(tr("WebSocket"), QStringLiteral("ws"));
    m_transport->setCurrentIndex(qMax(0, m_transport->findData(profile.transport)));
    urlForm->addRow(tr("&Transport:"), m_transport);
    m_headers = new KeyValueEditor(tr("Header"), QLatin1Char(':'), urlPage);
    m_headers->setObjectName(QStringLiteral("headers"));
    m_headers->setLines(profile.headers);
    urlForm->addRow(tr("&Headers:"), m_headers);
    urlForm->addRow(QString(), secretsHint(urlPage));
    m_caFile = new QLineEdit(profile.caFile, urlPage);
    m_caFile->setPlaceholderText(tr("(system certificates only)"));
    auto *browseCa = new QPushButton(tr("Browse…"), urlPage);
    connect(browseCa, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("CA Certificates"), m_caFile->text(),
                                         tr("Certificates (*.pem *.crt *.der);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile);
    caRow->addWidget(browseCa);
    urlForm->addRow(labelFor(tr("CA &file:"), m_caFile), caRow);
    m_insecure = new QCheckBox(tr("Ignore TLS certificate errors (insecure)"), urlPage);
    m_insecure->setChecked(profile.insecure);
    urlForm->addRow(QString(), m_insecure);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(stdioPage);
    m_pages->addWidget(urlPage);
    connect(m_kind, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_kind->setCurrentIndex(profile.kind == ConnectionProfile::Kind::Url ? 1 : 0);
    m_pages->setCurrentIndex(m_kind->currentIndex());

    auto *common = new QFormLayout;
    m_protocolVersion = new QComboBox(this);
    m_protocolVersion->addItem(tr("Negotiate"), QString());
    for (const QString &v : mcp::protocol::supportedVersions())
        m_protocolVersion->addItem(v, v);
    m_protocolVersion->setCurrentIndex(qMax(0, m_protocolVersion->findData(profile.protocolVersion)));
    common->addRow(tr("&Protocol version:"), m_protocolVersion);
    m_roots = smallTextEdit(tr("file:///path/to/project, one per line"), this);
    m_roots->setObjectName(QStringLiteral("roots"));
    m_roots->setPlainText(profile.roots.join(QLatin1Char('\n')));
    common->addRow(tr("&Roots:"), m_roots);

    // Paste: a host's config snippet or a server.json becomes this connection (nothing starts until Connect).
    m_snippet = smallTextEdit(tr("Paste a JSON snippet: {\"mcpServers\": {…}}, one server's entry, or a "
                                 "server.json"),
                              this);
    m_snippet->setObjectName(QStringLiteral("snippet"));
    auto *fill = new QPushButton(tr("&Fill In from Snippet"), this);
    fill->setObjectName(QStringLiteral("fillFromSnippet"));
    connect(fill, &QPushButton::clicked, this,
            [this] { fillFromSnippet(m_snippet->toPlainText().toUtf8()); });
    m_snippetStatus = new QLabel(this);
    m_snippetStatus->setObjectName(QStringLiteral("snippetStatus"));
    m_snippetStatus->setTextFormat(Qt::PlainText); // the snippet's names are no markup
    m_snippetStatus->setWordWrap(true);
    auto *pasteRow = new QHBoxLayout;
    pasteRow->addWidget(m_snippet, 1);
    pasteRow->addWidget(fill, 0, Qt::AlignTop);
    form->addRow(labelFor(tr("Pa&ste:"), m_snippet), pasteRow);
    form->addRow(QString(), m_snippetStatus);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_pages);
    layout->addLayout(common);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 80, sizeHint().height());
}

void ConnectionDialog::setFields(const ConnectionProfile &profile)
{
    m_name->setText(profile.name);
    m_kind->setCurrentIndex(profile.kind == ConnectionProfile::Kind::Url ? 1 : 0);
    m_command->setText(profile.command);
    m_arguments->setText(joinCommand(profile.arguments));
    m_environment->setLines(profile.environment);
    m_workingDirectory->setText(profile.workingDirectory);
    m_url->setText(profile.url);
    m_transport->setCurrentIndex(qMax(0, m_transport->findData(profile.transport)));
    m_headers->setLines(profile.headers);
}

bool ConnectionDialog::fillFromSnippet(const QByteArray &snippet)
{
    const mcp::config::ConfigFileResult result = mcp::config::parseSnippet(snippet);
    if (result.servers.isEmpty()) {
        QStringList problems;
        for (const mcp::config::ConfigProblem &p : result.problems.mid(0, 3))
            problems << mcp::review::visibleText(p.toString(), 300);
        m_snippetStatus->setText(tr("Not filled in: %1").arg(problems.join(QLatin1Char('\n'))));
        return false;
    }
    const ConnectionProfile pasted = ConnectionProfile::fromConfigured(result.servers.first());
    setFields(pasted);
    m_profile.envFile = pasted.envFile; // not shown in the form: kept with the connection
    m_profile.inputs = pasted.inputs;
    QStringList notes{tr("Filled in from \"%1\"; nothing starts until you connect.")
                          .arg(mcp::review::visibleText(result.servers.first().name, 80))};
    if (result.servers.size() > 1)
        notes << tr("The snippet holds %n server(s): only the first was used.", nullptr,
                    int(result.servers.size()));
    if (!pasted.inputs.isEmpty()) {
        QStringList asked;
        for (const mcp::config::ConfigInput &input : pasted.inputs)
            asked << mcp::review::visibleText(input.description.isEmpty() ? input.id : input.description, 80);
        notes << tr("Asks when connecting for: %1.").arg(asked.join(QStringLiteral("; ")));
    }
    if (!pasted.envFile.isEmpty())
        notes << tr("Reads variables from %1 when connecting.").arg(pasted.envFile);
    for (const mcp::config::ConfigProblem &p : result.problems)
        notes << mcp::review::visibleText(p.toString(), 300);
    m_snippetStatus->setText(notes.join(QLatin1Char('\n')));
    return true;
}

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile p = m_profile;
    p.name = m_name->text().trimmed();
    p.kind = m_kind->currentIndex() == 1 ? ConnectionProfile::Kind::Url : ConnectionProfile::Kind::Stdio;
    p.command = m_command->text().trimmed();
    p.arguments = QProcess::splitCommand(m_arguments->text());
    p.environment = m_environment->lines();
    p.workingDirectory = m_workingDirectory->text().trimmed();
    p.url = m_url->text().trimmed();
    p.transport = m_transport->currentData().toString();
    p.headers = m_headers->lines();
    p.caFile = m_caFile->text().trimmed();
    p.insecure = m_insecure->isChecked();
    p.protocolVersion = m_protocolVersion->currentData().toString();
    p.roots = lines(m_roots);
    if (p.name.isEmpty())
        p.name =
            p.kind == ConnectionProfile::Kind::Stdio ? QFileInfo(p.command).fileName() : QUrl(p.url).host();
    return p;
}

void ConnectionDialog::accept()
{
    const ConnectionProfile p = profile();
    QString problem;
    if (p.kind == ConnectionProfile::Kind::Stdio && p.command.isEmpty())
        problem = tr("Enter the command that starts the server.");
    else if (p.kind == ConnectionProfile::Kind::Url && !QUrl(p.url, QUrl::StrictMode).isValid())
        problem = tr("Enter a valid URL, such as http://127.0.0.1:3001/mcp.");
    if (!problem.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), problem);
        return;
    }
    QDialog::accept();
}

} // namespace mcpui
