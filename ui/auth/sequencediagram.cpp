#include "sequencediagram.h"

#include "authcolors.h"
#include "authstepmodel.h"
#include "common/plaintext.h"
#include "exchangeview.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QUrlQuery>

namespace mcpui {

namespace {

constexpr int Gutter = 40; // step numbers
// Below this the diagram scrolls horizontally; four lanes fit the Auth pane of a 1200-pixel window.
constexpr int MinLaneWidth = 110;

// The redirect back to our loopback listener: its URL is the authorization request's redirect_uri.
bool isRedirectToClient(const mcp::HttpExchange &ex, const QUrl &redirectUri)
{
    return redirectUri.isValid() && ex.url.authority() == redirectUri.authority() &&
           ex.url.path() == redirectUri.path();
}

} // namespace

SequenceDiagram::SequenceDiagram(AuthStepModel *model, QWidget *parent)
    : QAbstractScrollArea(parent), m_model(model)
{
    setObjectName(QStringLiteral("sequenceDiagram"));
    setAccessibleName(tr("Authorization sequence diagram"));
    setFocusPolicy(Qt::StrongFocus); // walked with the arrow keys, step by step
    viewport()->setMouseTracking(true);
    connect(model, &QAbstractItemModel::modelReset, this, &SequenceDiagram::rebuild);
    connect(model, &QAbstractItemModel::rowsInserted, this, &SequenceDiagram::rebuild);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &SequenceDiagram::rebuild);
    connect(model, &QAbstractItemModel::dataChanged, this, &SequenceDiagram::rebuild);
    rebuild();
}

QString SequenceDiagram::laneName(Lane lane)
{
    switch (lane) {
    case ClientLane:
        return tr("Client");
    case BrowserLane:
        return tr("Browser");
    case AuthorizationServerLane:
        return tr("Authorization server");
    case ResourceServerLane:
        return tr("Resource server");
    case LaneCount:
        break;
    }
    return {};
}

QSize SequenceDiagram::sizeHint() const
{
    return {Gutter + LaneCount * MinLaneWidth, headerHeight() + 8 * rowHeight()};
}

void SequenceDiagram::rebuild()
{
    m_items.clear();
    const QUrl redirectUri(QUrlQuery(m_model->authorizationUrl())
                               .queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const mcp::auth::AuthStep &step = m_model->step(row);
        const auto state = m_model->state(row);
        const bool pending = state == AuthStepModel::State::Paused || state == AuthStepModel::State::Running;
        // Discovery talks to the resource server, the authorization request goes through the browser, the
        // rest is between the client and the authorization server.
        const bool atResource = step.name == QLatin1String("server refusal") ||
                                step.name == QLatin1String("protected resource metadata");
        const bool viaBrowser = step.name == QLatin1String("authorization request");
        const qsizetype first = m_items.size();
        if (viaBrowser && !m_model->authorizationUrl().isEmpty())
            m_items.append(
                {row, -1, ClientLane, BrowserLane, tr("opens the browser"), false, step.tampered, false});
        for (int i = 0; i < step.exchanges.size(); ++i) {
            const mcp::HttpExchange &ex = step.exchanges.at(i);
            // Red: no answer, or the answer that failed the step. A 401 that starts the flow or a 404 from a
            // discovery fallback is expected, not a failure.
            const bool failed = ex.status == 0 || (step.failed && i == step.exchanges.size() - 1);
            Item item{row,           i,    ClientLane, AuthorizationServerLane, exchangeLabel(ex), failed,
                      step.tampered, false};
            if (atResource)
                item.to = ResourceServerLane;
            else if (viaBrowser && isRedirectToClient(ex, redirectUri))
                item = {row, i, BrowserLane, ClientLane, exchangeLabel(ex), failed, step.tampered, false};
            else if (viaBrowser)
                item.from = BrowserLane;
            m_items.append(item);
        }
        // A step decided without (or after) its exchanges gets a note: failures always, so the reason shows.
        if (m_items.size() == first || step.failed) {
            const QString text = step.failed               ? tr("✗ %1: %2").arg(step.name, step.reason)
                                 : pending                 ? tr("next: %1").arg(step.name)
                                 : step.decision.isEmpty() ? step.name
                                                           : tr("%1: %2").arg(step.name, step.decision);
            m_items.append({row, -1, ClientLane, ClientLane, text, step.failed, step.tampered, pending});
        }
    }
    updateScrollBars();
    viewport()->update();
}

int SequenceDiagram::rowHeight() const
{
    return fontMetrics().height() * 2 + 10;
}

int SequenceDiagram::headerHeight() const
{
    return fontMetrics().height() + 14;
}

int SequenceDiagram::laneX(Lane lane) const
{
    const int width = qMax(viewport()->width(), Gutter + LaneCount * MinLaneWidth);
    const int laneWidth = (width - Gutter) / LaneCount;
    return Gutter + laneWidth * lane + laneWidth / 2 - horizontalScrollBar()->value();
}

QRect SequenceDiagram::itemRect(int item) const
{
    const Item &it = m_items.at(item);
    const int y = headerHeight() + item * rowHeight() - verticalScrollBar()->value();
    const int left = laneX(qMin(it.from, it.to));
    const int right = it.from == it.to ? laneX(ResourceServerLane) : laneX(qMax(it.from, it.to));
    return QRect(left, y, right - left, rowHeight());
}

void SequenceDiagram::updateScrollBars()
{
    const int contentHeight = headerHeight() + int(m_items.size()) * rowHeight() + 8;
    verticalScrollBar()->setRange(0, qMax(0, contentHeight - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(rowHeight());
    const int contentWidth = Gutter + LaneCount * MinLaneWidth;
    horizontalScrollBar()->setRange(0, qMax(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void SequenceDiagram::setCurrentStep(int step)
{
    if (step == m_currentStep)
        return;
    m_currentStep = step;
    // Keep the step's first item in view.
    for (int i = 0; i < m_items.size(); ++i)
        if (m_items.at(i).step == step) {
            const QRect r = itemRect(i);
            if (r.top() < headerHeight())
                verticalScrollBar()->setValue(verticalScrollBar()->value() + r.top() - headerHeight());
            else if (r.bottom() > viewport()->height())
                verticalScrollBar()->setValue(verticalScrollBar()->value() + r.bottom() -
                                              viewport()->height());
            break;
        }
    QStringList said; // what a screen reader reads for the step: its arrows and notes
    for (const Item &item : std::as_const(m_items))
        if (item.step == step)
            said << item.label;
    setAccessibleDescription(said.join(QStringLiteral("; ")));
    viewport()->update();
}

void SequenceDiagram::keyPressEvent(QKeyEvent *event)
{
    QList<int> steps;
    for (const Item &item : std::as_const(m_items))
        if (steps.isEmpty() || steps.last() != item.step)
            steps << item.step;
    const qsizetype at = steps.indexOf(m_currentStep);
    qsizetype next = -1;
    switch (event->key()) {
    case Qt::Key_Down:
        next = at < 0 ? 0 : qMin(at + 1, steps.size() - 1);
        break;
    case Qt::Key_Up:
        next = at < 0 ? 0 : qMax<qsizetype>(at - 1, 0);
        break;
    case Qt::Key_Home:
        next = 0;
        break;
    case Qt::Key_End:
        next = steps.size() - 1;
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    if (next < 0 || next >= steps.size() || steps.at(next) == m_currentStep)
        return;
    setCurrentStep(steps.at(next));
    Q_EMIT stepClicked(m_currentStep);
}

void SequenceDiagram::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

int SequenceDiagram::itemAt(const QPoint &pos) const
{
    if (pos.y() < headerHeight())
        return -1;
    const int item = (pos.y() + verticalScrollBar()->value() - headerHeight()) / rowHeight();
    return item < m_items.size() ? item : -1;
}

void SequenceDiagram::mousePressEvent(QMouseEvent *event)
{
    const int item = itemAt(event->position().toPoint());
    if (item >= 0) {
        setCurrentStep(m_items.at(item).step);
        Q_EMIT stepClicked(m_items.at(item).step);
    }
}

bool SequenceDiagram::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int item = itemAt(help->pos());
        if (item >= 0)
            QToolTip::showText(help->globalPos(), plainToolTip(m_items.at(item).label), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void SequenceDiagram::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const int top = headerHeight();
    const int bottom = viewport()->height();
    p.fillRect(viewport()->rect(), pal.color(QPalette::Base));

    // Lifelines
    QPen lifeline(pal.color(QPalette::Mid), 1, Qt::DashLine);
    p.setPen(lifeline);
    for (int lane = 0; lane < LaneCount; ++lane)
        p.drawLine(laneX(Lane(lane)), top, laneX(Lane(lane)), bottom);

    const int firstVisible = qMax(0, verticalScrollBar()->value() / rowHeight() - 1);
    int previousStep =
        firstVisible > 0 && firstVisible <= m_items.size() ? m_items.at(firstVisible - 1).step : -1;
    for (int i = firstVisible; i < m_items.size(); ++i) {
        const Item &it = m_items.at(i);
        const QRect row(0, top + i * rowHeight() - verticalScrollBar()->value(), viewport()->width(),
                        rowHeight());
        if (row.top() > bottom)
            break;
        if (it.step == m_currentStep) {
            QColor band = pal.color(QPalette::Highlight);
            band.setAlpha(45);
            p.fillRect(row, band);
        }
        const QColor colour = it.failed     ? failedColor(pal)
                              : it.tampered ? tamperedColor(pal)
                              : it.pending  ? pal.color(QPalette::PlaceholderText)
                                            : pal.color(QPalette::Text);
        if (it.step != previousStep) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRect(4, row.top(), Gutter - 8, row.height()), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(it.step + 1));
            previousStep = it.step;
        }
        const QRect span = itemRect(i);
        if (it.from == it.to) { // a note beside the client's lifeline
            const QRect box = QRect(span.left() + 10, row.top() + 6, span.width() - 10, row.height() - 12);
            QColor fill = colour;
            fill.setAlpha(30);
            p.setPen(QPen(colour, 1, it.pending ? Qt::DashLine : Qt::SolidLine));
            p.setBrush(fill);
            p.drawRoundedRect(box, 4, 4);
            p.setPen(colour);
            p.drawText(box.adjusted(8, 0, -8, 0), Qt::AlignLeft | Qt::AlignVCenter,
                       fm.elidedText(it.label, Qt::ElideRight, box.width() - 16));
            continue;
        }
        const int y = row.top() + row.height() * 2 / 3;
        const int x1 = laneX(it.from);
        const int x2 = laneX(it.to);
        const int dir = x2 > x1 ? 1 : -1;
        p.setPen(QPen(colour, it.failed || it.tampered ? 2 : 1.4));
        p.drawLine(x1, y, x2 - dir * 2, y);
        QPainterPath head;
        head.moveTo(x2, y);
        head.lineTo(x2 - dir * 9, y - 4.5);
        head.lineTo(x2 - dir * 9, y + 4.5);
        head.closeSubpath();
        p.fillPath(head, colour);
        const QRect text(qMin(x1, x2) + 6, y - fm.height() - 3, qAbs(x2 - x1) - 12, fm.height());
        p.drawText(text, Qt::AlignHCenter | Qt::AlignBottom,
                   fm.elidedText(it.label, Qt::ElideMiddle, text.width()));
    }

    // Lane titles stay on top while the rows scroll.
    p.fillRect(QRect(0, 0, viewport()->width(), top), pal.color(QPalette::Window));
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(0, top - 1, viewport()->width(), top - 1);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::WindowText));
    const int laneWidth = laneX(BrowserLane) - laneX(ClientLane);
    for (int lane = 0; lane < LaneCount; ++lane) {
        const QRect title(laneX(Lane(lane)) - laneWidth / 2, 0, laneWidth, top);
        p.drawText(title, Qt::AlignCenter,
                   QFontMetrics(bold).elidedText(laneName(Lane(lane)), Qt::ElideRight, laneWidth - 8));
    }
}

} // namespace mcpui
