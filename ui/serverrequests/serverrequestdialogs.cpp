#include "serverrequestdialogs.h"

#include "composer/schemaform.h"
#include "transport/urlpolicy.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QUrl>
#include <QVBoxLayout>

namespace mcpui {

using mcp::Json;

namespace {

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// One message of a sampling conversation as readable text; non-text content is named, not dumped.
QString describeContent(const Json &content)
{
    if (content.is_array()) {
        QStringList parts;
        for (const Json &c : content)
            parts << describeContent(c);
        return parts.join(QLatin1Char('\n'));
    }
    const QString type = mcp::stringOr(content, "type");
    if (type == QLatin1String("text"))
        return mcp::stringOr(content, "text");
    return QStringLiteral("[%1 %2]").arg(type, mcp::stringOr(content, "mimeType"));
}

} // namespace

ServerRequestDialog::ServerRequestDialog(const QString &connectionName,
                                         mcp::ServerRequestHandler::Respond respond, QWidget *parent)
    : QDialog(parent, Qt::Window), m_respond(std::move(respond))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setModal(false);
    setProperty("connectionName", connectionName);
}

void ServerRequestDialog::done(int result)
{
    if (!m_answered)
        dismissed();
    QDialog::done(result);
}

void ServerRequestDialog::answer(const Json &result)
{
    if (m_answered)
        return;
    m_answered = true;
    m_respond(result, {});
    QDialog::done(Accepted);
}

void ServerRequestDialog::refuse(const QString &message, int code)
{
    if (m_answered)
        return;
    m_answered = true;
    m_respond({}, mcp::makeError(mcp::Error::Category::Rpc, QStringLiteral("sampling/createMessage"), message,
                                 code));
    QDialog::done(Rejected);
}

SamplingDialog::SamplingDialog(const QString &connectionName, const Json &params,
                               mcp::ServerRequestHandler::Respond respond, QWidget *parent)
    : ServerRequestDialog(connectionName, std::move(respond), parent)
{
    setWindowTitle(tr("%1 asks for a completion").arg(connectionName));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(
        wrapped(tr("<b>%1</b> wants the client's model to answer this conversation. You are the model: "
                   "write the reply, or reject the request.")
                    .arg(connectionName.toHtmlEscaped()),
                this));
    QString conversation;
    if (const QString system = mcp::stringOr(params, "systemPrompt"); !system.isEmpty())
        conversation += QStringLiteral("system:\n%1\n\n").arg(system);
    for (const Json &m : mcp::valueOr(params, "messages", Json::array()))
        conversation +=
            QStringLiteral("%1:\n%2\n\n")
                .arg(mcp::stringOr(m, "role"), describeContent(mcp::valueOr(m, "content", Json())));
    auto *messages = new QPlainTextEdit(conversation.trimmed(), this);
    messages->setObjectName(QStringLiteral("messages"));
    messages->setReadOnly(true);
    layout->addWidget(messages, 1);

    auto *form = new QFormLayout;
    QStringList hints;
    for (const Json &h :
         mcp::valueOr(mcp::valueOr(params, "modelPreferences", Json::object()), "hints", Json::array()))
        hints << mcp::stringOr(h, "name");
    form->addRow(tr("Max tokens:"), new QLabel(QString::number(mcp::valueOr(params, "maxTokens", 0)), this));
    if (!hints.isEmpty())
        form->addRow(tr("Model hints:"), new QLabel(hints.join(QStringLiteral(", ")), this));
    m_model = new QLineEdit(hints.value(0, QStringLiteral("mcp-workbench-user")), this);
    form->addRow(tr("&Model name:"), m_model);
    m_stopReason = new QComboBox(this);
    m_stopReason->addItems(
        {QStringLiteral("endTurn"), QStringLiteral("stopSequence"), QStringLiteral("maxTokens")});
    form->addRow(tr("&Stop reason:"), m_stopReason);
    layout->addLayout(form);

    auto *replyLabel = new QLabel(tr("&Reply:"), this);
    layout->addWidget(replyLabel);
    m_reply = new QPlainTextEdit(this);
    replyLabel->setBuddy(m_reply);
    m_reply->setObjectName(QStringLiteral("reply"));
    m_reply->setTabChangesFocus(true);
    m_reply->setPlaceholderText(tr("The assistant's answer"));
    layout->addWidget(m_reply, 1);

    auto *buttons = new QDialogButtonBox(this);
    auto *send = buttons->addButton(tr("Send Reply"), QDialogButtonBox::AcceptRole);
    send->setObjectName(QStringLiteral("sendReply"));
    auto *reject = buttons->addButton(tr("Reject"), QDialogButtonBox::RejectRole);
    reject->setObjectName(QStringLiteral("reject"));
    connect(send, &QPushButton::clicked, this, &SamplingDialog::send);
    connect(reject, &QPushButton::clicked, this, &SamplingDialog::rejectRequest);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 80, fontMetrics().height() * 30);
}

void SamplingDialog::send()
{
    answer({{"role", "assistant"},
            {"content", {{"type", "text"}, {"text", mcp::toStd(m_reply->toPlainText())}}},
            {"model", mcp::toStd(m_model->text())},
            {"stopReason", mcp::toStd(m_stopReason->currentText())}});
}

ElicitationDialog::ElicitationDialog(const QString &connectionName, const Json &params,
                                     mcp::ServerRequestHandler::Respond respond, QWidget *parent)
    : ServerRequestDialog(connectionName, std::move(respond), parent)
{
    setWindowTitle(tr("%1 asks for information").arg(connectionName));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(wrapped(tr("<b>%1</b> asks:").arg(connectionName.toHtmlEscaped()), this));
    auto *message = wrapped(mcp::stringOr(params, "message"), this);
    message->setObjectName(QStringLiteral("message"));
    layout->addWidget(message);
    m_form = new SchemaForm;
    m_form->setSchema(mcp::valueOr(params, "requestedSchema", Json::object()));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_form);
    layout->addWidget(scroll, 1);
    m_problems = wrapped(QString(), this);
    m_problems->setStyleSheet(QStringLiteral("QLabel { color: #d03030; }"));
    layout->addWidget(m_problems);

    auto *buttons = new QDialogButtonBox(this);
    auto *accept = buttons->addButton(tr("Submit"), QDialogButtonBox::AcceptRole);
    accept->setObjectName(QStringLiteral("submit"));
    auto *decline = buttons->addButton(tr("Decline"), QDialogButtonBox::DestructiveRole);
    decline->setObjectName(QStringLiteral("decline"));
    auto *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    connect(accept, &QPushButton::clicked, this, &ElicitationDialog::acceptRequest);
    connect(decline, &QPushButton::clicked, this, [this] { respondWith("decline"); });
    connect(cancel, &QPushButton::clicked, this, [this] { respondWith("cancel"); });
    layout->addWidget(buttons);

    const auto check = [this] {
        const mcp::schema::ValidationResult result = m_form->check(m_form->value());
        m_problems->setText(result.lines().join(QLatin1Char('\n')));
        m_problems->setVisible(!result.lines().isEmpty());
    };
    connect(m_form, &SchemaForm::edited, this, check);
    check();
    resize(fontMetrics().averageCharWidth() * 90, fontMetrics().height() * 40);
}

void ElicitationDialog::acceptRequest()
{
    const mcp::schema::ValidationResult result = m_form->check(m_form->value());
    if (result.status == mcp::schema::ValidationResult::Status::Invalid) {
        m_problems->setText(result.lines().join(QLatin1Char('\n')));
        m_problems->show();
        return;
    }
    answer({{"action", "accept"}, {"content", m_form->value()}});
}

UrlElicitationDialog::UrlElicitationDialog(const QString &connectionName, const Json &params,
                                           mcp::ServerRequestHandler::Respond respond, QWidget *parent)
    : ServerRequestDialog(connectionName, std::move(respond), parent)
{
    setWindowTitle(tr("%1 asks you to visit a page").arg(connectionName));
    const QUrl url(mcp::stringOr(params, "url"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(wrapped(mcp::stringOr(params, "message"), this));
    auto *link = wrapped(tr("Address: <b>%1</b> (host <b>%2</b>)")
                             .arg(url.toDisplayString().toHtmlEscaped(), url.host().toHtmlEscaped()),
                         this);
    link->setObjectName(QStringLiteral("url"));
    layout->addWidget(link);
    auto *buttons = new QDialogButtonBox(this);
    auto *open = buttons->addButton(tr("Open in Browser"), QDialogButtonBox::ActionRole);
    open->setObjectName(QStringLiteral("openInBrowser"));
    auto *done = buttons->addButton(tr("I Have Finished"), QDialogButtonBox::AcceptRole);
    done->setObjectName(QStringLiteral("finished"));
    auto *decline = buttons->addButton(tr("Decline"), QDialogButtonBox::DestructiveRole);
    decline->setObjectName(QStringLiteral("decline"));
    auto *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    // The server chose the address: only https (or http to this machine) goes to the browser.
    if (const QString refusal = mcp::refusalToOpen(url); !refusal.isEmpty()) {
        open->setEnabled(false);
        auto *why = new QLabel(tr("Not opened: %1").arg(refusal), this);
        why->setObjectName(QStringLiteral("refusal"));
        why->setWordWrap(true);
        why->setTextFormat(Qt::PlainText);
        layout->addWidget(why);
    }
    connect(open, &QPushButton::clicked, this, [url] { QDesktopServices::openUrl(url); });
    connect(done, &QPushButton::clicked, this, [this] { respondWith("accept"); });
    connect(decline, &QPushButton::clicked, this, [this] { respondWith("decline"); });
    connect(cancel, &QPushButton::clicked, this, [this] { respondWith("cancel"); });
    layout->addWidget(buttons);
}

} // namespace mcpui
