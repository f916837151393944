"""The kitchen board: pairing a tablet by code, the board page, and what its script calls.

The script (``static/kitchen_board.js``) reads the board (``…/feed``), moves tickets
(``…/moves``, the ticket transition use case with the version the card shows; a stale one
is the API's 409 problem, with the ticket's state and version now), and follows the
shift's event stream on a page WebSocket. That stream is the API's
(``serve_shift_events``), authenticated in its first message: the page's CSRF token,
which must equal the CSRF cookie, with the device or session cookie as the credential. A
cookie alone never opens it (another site's page could make a browser connect with the
cookies, but cannot learn the token), and the credential never reaches the script.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, WebSocket, get, post, websocket
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from litestar.response import Redirect, Template

from fusionx.core.errors import AuthenticationRequired, InvalidInput, TooManyAttempts
from fusionx.core.messages import Message
from fusionx.core.model.paging import PageRequest
from fusionx.core.use_cases.commands.pair_device import PairDevice, PairDeviceRequest
from fusionx.core.use_cases.commands.transition_ticket import TransitionTicket
from fusionx.core.use_cases.queries.follow_shift_events import FollowShiftEvents
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks
from fusionx.core.use_cases.queries.view_kitchen_board import ViewKitchenBoard
from fusionx.entrypoints.http.controllers.events import serve_shift_events
from fusionx.entrypoints.http.dependencies import AppAdapters, ClientAddress, UseCase
from fusionx.entrypoints.http.schemas.tickets import TicketView, TransitionBody
from fusionx.entrypoints.web.access import PageAccess, page
from fusionx.entrypoints.web.csrf import CSRF_COOKIE
from fusionx.entrypoints.web.kitchen import (
    BOARD_PATH,
    PAIR_PATH,
    AtBoard,
    PairingRequired,
    board_secret,
    device_cookie,
    provide_at_board,
    redirect_to_pairing,
)
from fusionx.entrypoints.web.schemas.kitchen_board import BoardView
from fusionx.entrypoints.web.settings import CookiePolicy

_TRUCKS_LOOKED_AT = 50


class PairingForm(msgspec.Struct, frozen=True, kw_only=True):
    # Wrong or empty is shown on the form, not a 400.
    code: Annotated[str, msgspec.Meta(max_length=32)] = ""


Form = Annotated[PairingForm, Body(media_type=RequestEncodingType.URL_ENCODED)]


class BoardPairingController(Controller):
    path = PAIR_PATH

    @get(operation_id="showBoardPairingPage", opt=page(PageAccess.PUBLIC))
    async def show(self) -> Template:
        return Template("kitchen_board/pair.html", context={"problem": None})

    @post(operation_id="pairBoardPage", opt=page(PageAccess.PUBLIC))
    async def pair(
        self,
        data: Form,
        client_address: ClientAddress,
        pair_device: UseCase[PairDevice],
        cookie_policy: CookiePolicy,
    ) -> Redirect | Template:
        request = PairDeviceRequest(code=data.code, client_address=client_address)
        try:
            paired = await pair_device.execute(request)
        except InvalidInput as error:
            return _refused(error.detail, 422)
        except TooManyAttempts as error:
            seconds = error.retry_after_seconds
            return _refused(
                Message("problem.retry_in", {"reason": error.detail, "count": seconds}), 429
            )
        cookie = device_cookie(paired.credential, secure=cookie_policy.secure)
        return Redirect(BOARD_PATH, status_code=303, cookies=[cookie])


class KitchenBoardController(Controller):
    path = BOARD_PATH
    dependencies = {"at_board": Provide(provide_at_board)}  # noqa: RUF012 - as the API's
    exception_handlers = {PairingRequired: redirect_to_pairing}  # noqa: RUF012

    @get(operation_id="openKitchenBoardPage", opt=page(PageAccess.KITCHEN))
    async def open(self, at_board: AtBoard, list_my_trucks: UseCase[ListMyTrucks]) -> Redirect:
        """A device's own truck's board; a staff member's first truck's (home lists all)."""
        trucks = await list_my_trucks.execute(at_board, PageRequest(limit=_TRUCKS_LOOKED_AT))
        on_duty = [item for item in trucks.items if item.shift is not None] or trucks.items
        if not on_duty:
            return Redirect("/app", status_code=303)
        return Redirect(f"{BOARD_PATH}/{on_duty[0].truck.id}", status_code=303)

    @get("/{truck_id:uuid}", operation_id="showKitchenBoardPage", opt=page(PageAccess.KITCHEN))
    async def show(
        self,
        truck_id: FromPath[UUID],
        at_board: AtBoard,
        view_kitchen_board: UseCase[ViewKitchenBoard],
    ) -> Template:
        board = await view_kitchen_board.execute(at_board, truck_id)
        return Template("kitchen_board/board.html", context={"board": board})

    @get("/{truck_id:uuid}/feed", operation_id="kitchenBoardFeedPage", opt=page(PageAccess.KITCHEN))
    async def feed(
        self,
        truck_id: FromPath[UUID],
        at_board: AtBoard,
        view_kitchen_board: UseCase[ViewKitchenBoard],
        adapters: AppAdapters,
    ) -> BoardView:
        board = await view_kitchen_board.execute(at_board, truck_id)
        return BoardView.of(board, adapters.clock.now())

    @post(
        "/{truck_id:uuid}/tickets/{ticket_id:uuid}/moves",
        status_code=200,
        operation_id="moveBoardTicketPage",
        opt=page(PageAccess.KITCHEN),
    )
    async def move(
        self,
        truck_id: FromPath[UUID],
        ticket_id: FromPath[UUID],
        data: JSONBody[TransitionBody],
        at_board: AtBoard,
        transition_ticket: UseCase[TransitionTicket],
    ) -> TicketView:
        del truck_id  # the ticket's truck is checked by the use case
        return TicketView.of(await transition_ticket.execute(at_board, data.to_request(ticket_id)))

    @websocket(
        "/{truck_id:uuid}/shifts/{shift_id:uuid}/events",
        name="followKitchenBoardEvents",
        opt=page(PageAccess.KITCHEN),
    )
    async def follow(
        self,
        socket: WebSocket[Any, Any, Any],
        shift_id: FromPath[UUID],
        adapters: AppAdapters,
        follow_shift_events: UseCase[FollowShiftEvents],
    ) -> None:
        """The shift's events for the board: the first message is
        ``{"type": "auth", "token": "<the page's CSRF token>"}``."""
        cookies = dict(socket.cookies)

        def exchange(token: str) -> str:
            expected = cookies.get(CSRF_COOKIE, "")
            secret = board_secret(cookies)
            if not expected or not secret or not hmac.compare_digest(expected, token):
                raise AuthenticationRequired(Message("auth.credential_refused"))
            return secret

        await serve_shift_events(socket, shift_id, adapters, follow_shift_events, exchange=exchange)


def _refused(problem: Message, status: int) -> Template:
    return Template("kitchen_board/pair.html", context={"problem": problem}, status_code=status)
