#include "exchangeview.h"

#include "authcolors.h"
#include "common/plaintext.h"
#include "traffic/rawhttp.h"
#include "traffic/redaction.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QToolButton>

namespace mcpui {

using mcp::HttpExchange;

QString exchangeLabel(const HttpExchange &exchange)
{
    const QString outcome =
        exchange.status == 0 ? QStringLiteral("no response") : QString::number(exchange.status);
    return QStringLiteral("%1 %2 → %3")
        .arg(QString::fromLatin1(exchange.method),
             exchange.url.path().isEmpty() ? QStringLiteral("/") : exchange.url.path(), outcome);
}

ExchangeView::ExchangeView(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("stepTitle"));
    m_reveal = new QCheckBox(tr("Reveal secrets"), this);
    m_reveal->setObjectName(QStringLiteral("revealSecrets"));
    m_reveal->setToolTip(
        tr("Show Authorization headers, client secrets, codes, verifiers and tokens unmasked"));
    connect(m_reveal, &QCheckBox::toggled, this, &ExchangeView::rebuild);
    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_reveal);

    m_decision = new QLabel(this);
    m_decision->setObjectName(QStringLiteral("decision"));
    m_decision->setWordWrap(true);
    m_decision->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_sections = new QWidget;
    m_sectionLayout = new QVBoxLayout(m_sections);
    m_sectionLayout->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_sections);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_decision);
    layout->addWidget(scroll, 1);
    clear();
}

bool ExchangeView::revealsSecrets() const
{
    return m_reveal->isChecked();
}

void ExchangeView::clear()
{
    showStep({}, {}, {});
    m_title->setText(tr("<i>Select a step to see its HTTP exchanges.</i>"));
}

void ExchangeView::showStep(const mcp::auth::AuthStep &step, const QString &state,
                            const QUrl &authorizationUrl)
{
    const bool sameStep = step.name == m_step.name && step.exchanges.size() == m_step.exchanges.size();
    m_step = step;
    m_state = state;
    m_authorizationUrl = authorizationUrl;
    rebuild();
    // The exchange that decided the step is the last one: open it, unless the user chose otherwise.
    if (!sameStep && !step.exchanges.isEmpty())
        setExpanded(int(step.exchanges.size()) - 1, true);
}

void ExchangeView::setExpanded(int index, bool expanded)
{
    const auto buttons = m_sections->findChildren<QToolButton *>(QStringLiteral("exchangeHeader"));
    if (index >= 0 && index < buttons.size())
        buttons.at(index)->setChecked(expanded);
}

void ExchangeView::rebuild()
{
    QList<bool> expanded;
    for (QToolButton *b : m_sections->findChildren<QToolButton *>(QStringLiteral("exchangeHeader")))
        expanded << b->isChecked();
    while (QLayoutItem *item = m_sectionLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QPalette pal = palette();
    m_title->setText(m_step.name.isEmpty()
                         ? QString()
                         : QStringLiteral("<b>%1</b> · %2%3")
                               .arg(m_step.name.toHtmlEscaped(), m_state.toHtmlEscaped(),
                                    m_step.tampered ? QStringLiteral(" · <b style='color:%1'>%2</b>")
                                                          .arg(tamperedColor(pal).name(), tr("TAMPERED"))
                                                    : QString()));
    QString decision;
    if (!m_step.decision.isEmpty())
        decision += tr("<b>Decision:</b> %1").arg(m_step.decision.toHtmlEscaped());
    if (!m_step.reason.isEmpty())
        decision +=
            (decision.isEmpty() ? QString() : QStringLiteral("<br>")) +
            (m_step.failed
                 ? QStringLiteral("<b style='color:%1'>%2</b> ").arg(failedColor(pal).name(), tr("Failed:"))
                 : tr("<b>Why:</b> ")) +
            m_step.reason.toHtmlEscaped();
    if (!m_authorizationUrl.isEmpty() && m_step.name == QLatin1String("authorization request")) {
        // It carries no secret: state and code_challenge are meant to travel through the browser.
        decision += tr("<br><b>Authorization URL:</b> %1")
                        .arg(m_authorizationUrl.toString(QUrl::FullyEncoded).toHtmlEscaped());
    }
    m_decision->setText(decision);
    m_decision->setVisible(!decision.isEmpty());

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int i = 0; i < m_step.exchanges.size(); ++i) {
        const HttpExchange ex = m_reveal->isChecked()
                                    ? m_step.exchanges.at(i)
                                    : mcp::redaction::redactExchange(m_step.exchanges.at(i));
        auto *button = new QToolButton;
        button->setObjectName(QStringLiteral("exchangeHeader"));
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setArrowType(Qt::RightArrow);
        button->setText(exchangeLabel(ex));
        button->setToolTip(plainToolTip(ex.url.toString()));
        auto *raw = new QPlainTextEdit;
        raw->setObjectName(QStringLiteral("rawExchange"));
        raw->setReadOnly(true);
        raw->setFont(fixed);
        raw->setPlainText(QString::fromUtf8(mcp::formatHttpExchange(ex, false))); // masked above
        const int lines = qBound(4, raw->document()->lineCount() + 1, 22);
        raw->setFixedHeight(lines * raw->fontMetrics().lineSpacing() + 2 * raw->frameWidth() + 8);
        raw->setVisible(false);
        connect(button, &QToolButton::toggled, raw, [button, raw](bool on) {
            button->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
            raw->setVisible(on);
        });
        m_sectionLayout->addWidget(button);
        m_sectionLayout->addWidget(raw);
        button->setChecked(expanded.value(i, false));
    }
    if (m_step.exchanges.isEmpty() && !m_step.name.isEmpty()) {
        auto *none = new QLabel(tr("<i>No HTTP exchange in this step (the decision was made locally).</i>"));
        m_sectionLayout->addWidget(none);
    }
    m_sectionLayout->addStretch(1);
}

} // namespace mcpui
